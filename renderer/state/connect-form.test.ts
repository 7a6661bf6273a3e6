import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CA_FROM_OPTIONS, draftFromOptions, emptyDraft, splitProtocols, validateDraft, type FormDraft } from './connect-form.ts';

const draft = (p: Partial<FormDraft>): FormDraft => ({ ...emptyDraft(), ...p });
function errorsOf(p: Partial<FormDraft>) {
  const r = validateDraft(draft(p));
  assert.equal(r.ok, false);
  return r.ok ? {} : r.errors;
}

test('a valid draft becomes ConnectOptions; blank header rows are ignored; TLS only for wss', () => {
  const r = validateDraft(
    draft({
      url: ' ws://127.0.0.1:8080/chat ',
      protocols: 'chat.v2, json  mqtt',
      headers: [{ name: 'Authorization', value: 'Bearer x' }, { name: '', value: '' }],
      keepaliveSec: '30',
      maxMessageMiB: '1',
      verifyTls: false,
    }),
  );
  assert.ok(r.ok);
  if (!r.ok) return;
  assert.deepEqual(r.options, {
    url: 'ws://127.0.0.1:8080/chat',
    deflate: true,
    autoPong: true,
    maxMessageBytes: 1024 * 1024,
    protocols: ['chat.v2', 'json', 'mqtt'],
    headers: [{ name: 'Authorization', value: 'Bearer x' }],
    keepaliveIntervalSec: 30,
  });
  const wss = validateDraft(draft({ url: 'wss://example.test/', verifyTls: false, caPem: '-----BEGIN CERTIFICATE-----\nAA==\n' }));
  assert.ok(wss.ok && wss.options.tls?.verify === false && wss.options.tls.caPem?.startsWith('-----BEGIN'));
});

test('each invalid field gets its own explanation', () => {
  assert.match(errorsOf({ url: 'http://x' }).url ?? '', /ws:\/\//);
  assert.match(errorsOf({ url: '' }).url ?? '', /Enter a WebSocket URL/);
  assert.match(errorsOf({ url: 'ws://h/', protocols: 'a b a' }).protocols ?? '', /twice/);
  assert.match(errorsOf({ url: 'ws://h/', protocols: 'ok bad"q' }).protocols ?? '', /not a valid token/);
  const h = errorsOf({ url: 'ws://h/', headers: [{ name: '', value: '' }, { name: 'Bad Name', value: 'v' }] }).header;
  assert.equal(h?.index, 1, 'the index points at the row the user sees');
  assert.match(h?.message ?? '', /space/);
  assert.match(errorsOf({ url: 'ws://h/', headers: [{ name: 'Upgrade', value: 'x' }] }).header?.message ?? '', /Upgrade/);
  assert.match(errorsOf({ url: 'ws://h/', headers: [{ name: 'X-A', value: 'a\r\nB: c' }] }).header?.message ?? '', /carriage return/);
  assert.ok(errorsOf({ url: 'ws://h/', keepaliveSec: '-1' }).keepaliveSec);
  assert.ok(errorsOf({ url: 'ws://h/', maxMessageMiB: 'lots' }).maxMessageMiB);
  assert.ok(errorsOf({ url: 'ws://h/', maxMessageMiB: '0' }).maxMessageMiB);
  assert.match(errorsOf({ url: 'wss://h/', caPem: 'hello' }).ca ?? '', /not a PEM certificate/);
});

test('splitProtocols and draftFromOptions round trip', () => {
  assert.deepEqual(splitProtocols(' a,b  c,, '), ['a', 'b', 'c']);
  const r = validateDraft(draftFromOptions({ url: 'ws://h:1/', protocols: ['x', 'y'], origin: 'http://o', keepaliveIntervalSec: 5 }));
  assert.ok(r.ok && r.options.origin === 'http://o' && r.options.protocols?.join() === 'x,y' && r.options.keepaliveIntervalSec === 5);
});

test('draftFromOptions keeps every switch truthful: deflate, auto-pong, TLS verify and a CA all survive', () => {
  const pem = '-----BEGIN CERTIFICATE-----\nAA==\n-----END CERTIFICATE-----\n';
  const d = draftFromOptions({ url: 'wss://h:1/', deflate: false, autoPong: false, tls: { verify: false, caPem: pem } });
  assert.equal(d.deflate, false);
  assert.equal(d.autoPong, false);
  assert.equal(d.verifyTls, false);
  // The form shows a CA by its name: a CA that is set must not look unset.
  assert.equal(d.caFileName, CA_FROM_OPTIONS);
  const r = validateDraft(d);
  assert.ok(r.ok);
  assert.equal(r.options.deflate, false);
  assert.equal(r.options.autoPong, false);
  assert.equal(r.options.tls?.verify, false);
  assert.equal(r.options.tls?.caPem, pem);
  assert.equal(draftFromOptions({ url: 'ws://h:1/' }).caFileName, null);
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  base64ToText,
  bytesToBase64,
  compileMatcher,
  describeClosePayload,
  formatBytes,
  formatDuration,
  hexDump,
  parseBase64Input,
  parseHexInput,
  parseJsonInput,
  prettyJson,
  previewText,
  utf8Encode,
  validateCloseInput,
  validatePingPayload,
} from './format.ts';

test('hexDump prints offset, hex and printable ASCII like hexdump -C', () => {
  const dump = hexDump(utf8Encode('Hello, WebSocket!\n'));
  assert.equal(
    dump,
    '00000000  48 65 6c 6c 6f 2c 20 57 65 62 53 6f 63 6b 65 74  |Hello, WebSocket|\n' +
      '00000010  21 0a                                            |!.|',
  );
  assert.equal(hexDump(new Uint8Array(40), 16).split('\n').length, 1);
});

test('base64 round trip keeps bytes and decodes UTF-8 text', () => {
  const bytes = new Uint8Array(70_000).map((_, i) => i % 256);
  assert.deepEqual(Uint8Array.from(atob(bytesToBase64(bytes)), (c) => c.charCodeAt(0)), bytes);
  assert.equal(base64ToText(bytesToBase64(utf8Encode('héllo ✓'))), 'héllo ✓');
});

test('prettyJson formats objects/arrays only', () => {
  assert.equal(prettyJson('{"a":1}'), '{\n  "a": 1\n}');
  assert.equal(prettyJson('  [1,2]'), '[\n  1,\n  2\n]');
  assert.equal(prettyJson('42'), null);
  assert.equal(prettyJson('{not json'), null);
});

test('parseJsonInput explains invalid JSON', () => {
  assert.equal(parseJsonInput('{"a":1}').ok, true);
  const bad = parseJsonInput('{"a":}');
  assert.equal(bad.ok, false);
  assert.match(bad.ok ? '' : bad.error, /Not valid JSON/);
  assert.equal(parseJsonInput('   ').ok, false);
});

test('parseHexInput accepts common spellings and explains mistakes', () => {
  const ok = parseHexInput('48 65:6C 0x6c 6f');
  assert.ok(ok.ok);
  assert.deepEqual(ok.ok ? [...ok.value] : [], [0x48, 0x65, 0x6c, 0x6c, 0x6f]);
  const odd = parseHexInput('486');
  assert.match(odd.ok ? '' : odd.error, /Odd number/);
  const bad = parseHexInput('48 zz');
  assert.match(bad.ok ? '' : bad.error, /"z" is not a hex digit/);
  assert.equal(parseHexInput('').ok, false);
});

test('parseBase64Input is strict about alphabet and padding', () => {
  const ok = parseBase64Input('SGVs bG8=');
  assert.ok(ok.ok);
  assert.equal(ok.ok ? new TextDecoder().decode(ok.value) : '', 'Hello');
  assert.equal(parseBase64Input('SGVsbG8').ok, false);
  assert.equal(parseBase64Input('SGV$bG8=').ok, false);
  assert.equal(parseBase64Input('').ok, false);
});

test('validateCloseInput: 1000 or 3000–4999, reason ≤ 123 UTF-8 bytes (RFC 6455 §5.5, §7.4)', () => {
  assert.deepEqual(validateCloseInput('1000', 'bye').value, { code: 1000, reason: 'bye' });
  assert.deepEqual(validateCloseInput('4999', '').value, { code: 4999, reason: '' });
  for (const bad of ['1005', '1006', '2999', '5000', '', 'abc', '1000.5', '-1']) {
    assert.ok(validateCloseInput(bad, '').codeError, `code ${bad} must be refused`);
  }
  assert.equal(validateCloseInput('1000', 'x'.repeat(123)).reasonError, undefined);
  // 62 × "é" (2 bytes each) = 124 bytes: over the limit though only 62 characters.
  assert.match(validateCloseInput('1000', 'é'.repeat(62)).reasonError ?? '', /124 bytes/);
});

test('validatePingPayload: at most 125 bytes', () => {
  assert.equal(validatePingPayload('x'.repeat(125)).ok, true);
  assert.equal(validatePingPayload('x'.repeat(126)).ok, false);
});

test('describeClosePayload decodes code and reason', () => {
  assert.equal(describeClosePayload(new Uint8Array([0x03, 0xe8, 0x62, 0x79, 0x65])), '1000 "bye"');
  assert.equal(describeClosePayload(new Uint8Array([])), 'no status code');
  assert.match(describeClosePayload(new Uint8Array([3])), /malformed/);
});

test('compileMatcher: substring, regex, and invalid regex explained', () => {
  const plain = compileMatcher('HeLLo', false);
  assert.ok(plain.ok && plain.test('say hello') && !plain.test('bye'));
  const re = compileMatcher('^id=\\d+$', true);
  assert.ok(re.ok && re.test('id=42') && !re.test('id=x'));
  const bad = compileMatcher('(', true);
  assert.equal(bad.ok, false);
  assert.match(bad.ok ? '' : bad.error, /Invalid regular expression/);
  const none = compileMatcher('', true);
  assert.ok(none.ok && !none.active);
});

test('formatting helpers', () => {
  assert.equal(formatBytes(512), '512 B');
  assert.equal(formatBytes(1536), '1.5 KB');
  assert.equal(formatBytes(64 * 1024 * 1024), '64 MB');
  assert.equal(formatDuration(42_000), '42s');
  assert.equal(formatDuration(185_000), '3m 05s');
  assert.equal(formatDuration(3_723_000), '1h 02m 03s');
  assert.equal(previewText('a\nb\tc', 10), 'a·b·c');
  assert.equal(previewText('abcdef', 3), 'abc…');
});

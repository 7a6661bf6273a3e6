// Scenario 2: a JSON message is pretty-printed in the conversation; binary typed as hex reaches the
// server byte for byte, comes back (ws echoes binary as binary, RFC 6455 §5.6 opcode 0x2) and is
// shown as a hex dump.
import { test, expect } from '../fixtures/test.ts';

test('JSON is pretty-printed, with a Raw toggle that shows the text as received', async ({ app, peers }) => {
  const peer = await peers.ws();
  const conn = await app.open({ url: peer.url, deflate: false });
  const raw = '{"type":"hello","items":[1,2],"nested":{"ok":true}}';
  await conn.format('JSON');
  await conn.sendMessage(raw);

  const received = conn.messages('Received', 'text');
  await expect(received).toHaveCount(1);
  const content = conn.messageContent(received);
  const pretty = JSON.stringify(JSON.parse(raw), null, 2);
  await expect.poll(() => content.innerText()).toBe(pretty);
  await received.getByRole('button', { name: 'Raw' }).click();
  await expect.poll(() => content.innerText()).toBe(raw);

  await peer.waitFor(() => peer.received.length === 1, 'the JSON message at the server');
  expect(peer.received[0].isBinary).toBe(false);
  expect(peer.received[0].data.toString('utf8')).toBe(raw);
});

test('invalid JSON in JSON mode is explained and not sent', async ({ app, peers }) => {
  const peer = await peers.ws();
  const conn = await app.open({ url: peer.url, deflate: false });
  await conn.format('JSON');
  await conn.sendMessage('{"unterminated": ');
  await expect(conn.message).toHaveAttribute('aria-invalid', 'true');
  await expect(conn.message).toHaveAccessibleDescription(/Not valid JSON/);
  // A valid message afterwards is the first and only one the server sees.
  await conn.sendMessage('{"ok":1}');
  await expect(conn.messages('Received')).toHaveCount(1);
  expect(peer.received.map((m) => m.data.toString('utf8'))).toEqual(['{"ok":1}']);
});

test('binary typed as hex goes out byte for byte and comes back as a hex dump', async ({ app, peers }) => {
  const peer = await peers.ws();
  const conn = await app.open({ url: peer.url, deflate: false });
  const bytes = Buffer.from([0xde, 0xad, 0xbe, 0xef, 0x00, 0x01, 0x7f, 0x80, 0xff, 0x48, 0x69]);
  await conn.format('Binary (hex)');
  await conn.sendMessage('de ad be ef 00 01 7f 80 ff 48 69');

  await peer.waitFor(() => peer.received.length === 1, 'the binary message at the server');
  expect(peer.received[0].isBinary).toBe(true);
  expect(peer.received[0].data.equals(bytes)).toBe(true);

  const received = conn.messages('Received', 'binary');
  await expect(received).toHaveCount(1);
  await expect(conn.messageContent(received)).toHaveText('00000000  de ad be ef 00 01 7f 80 ff 48 69                 |.........Hi|');
  await expect(conn.messages('Sent', 'binary')).toHaveCount(1);

  // The frame log agrees: a BINARY frame each way, 11 bytes.
  await conn.showView('Frames');
  const out = await conn.cells(conn.frameRow('sent', 'BINARY'));
  const inn = await conn.cells(conn.frameRow('received', 'BINARY'));
  expect([out.length, inn.length]).toEqual([String(bytes.length), String(bytes.length)]);
});

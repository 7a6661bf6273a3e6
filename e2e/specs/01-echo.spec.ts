// Scenario 1: connect → OPEN; a text message appears as sent and as the echoed reply; the frame log
// shows our frame masked with a key (RFC 6455 §5.3: client frames are masked) and the server's
// unmasked (§5.1), both with the right payload length. Run against the ws package and against
// Python websockets, two implementations we did not write.
import { test, expect } from '../fixtures/test.ts';
import type { ConnectionPanel } from '../pages/wirechat-app.ts';

const MASK_KEY = /^[0-9a-f]{8}$/;

async function expectEchoWithFrames(conn: ConnectionPanel, text: string): Promise<void> {
  await conn.sendMessage(text);
  await expect(conn.messages('Sent', 'text')).toHaveCount(1);
  await expect(conn.messages('Sent', 'text').first()).toContainText(text);
  await expect(conn.messages('Received', 'text')).toHaveCount(1);
  await expect(conn.messages('Received', 'text').first()).toContainText(text);

  await conn.showView('Frames');
  const length = String(Buffer.byteLength(text));
  const out = conn.frameRow('sent', 'TEXT');
  const inn = conn.frameRow('received', 'TEXT');
  await expect(out).toHaveCount(1);
  await expect(inn).toHaveCount(1);
  const o = await conn.cells(out);
  expect(o.mask, 'outgoing frame shows its masking key').toMatch(MASK_KEY);
  expect(o.length).toBe(length);
  expect(o.fin).toBe('1');
  const i = await conn.cells(inn);
  expect(i.mask, 'incoming frame is not masked').toBe('0');
  expect(i.length).toBe(length);

  // The detail pane spells the same facts out.
  await conn.selectFrame(out);
  await expect(conn.detailField('Masking key')).toHaveText(o.mask);
  await expect(conn.detailField('Payload (wire)')).toHaveText(`${length} bytes`);
  await conn.selectFrame(inn);
  await expect(conn.detailField('Masking key')).toHaveText('—');
  await expect(conn.detailField('MASK')).toHaveText('0');
}

test('ws: connect, send text, see it sent and echoed, frame log shows masked out / unmasked in', async ({ app, peers }) => {
  const peer = await peers.ws();
  const conn = await app.open({ url: peer.url, deflate: false });
  await expectEchoWithFrames(conn, 'Hello, Wirechat ✓');
  await peer.waitFor(() => peer.received.length === 1, 'the server to receive the message');
  expect(peer.received[0].data.toString('utf8')).toBe('Hello, Wirechat ✓');
});

test('Python websockets: the same echo round trip against another implementation', async ({ app, peers }) => {
  const peer = await peers.python({ compression: false });
  const conn = await app.open({ url: peer.url, deflate: false });
  await expectEchoWithFrames(conn, 'hello from the UI');
});

// Scenario 10: a server streams 20,000 messages. All of them are counted in the UI, the DOM holds a
// bounded number of message rows (the list is virtualized), and the UI still responds to a click —
// asserted as conditions, never as timings (speed is for the benchmarks).
import { test, expect } from '../fixtures/test.ts';
import { expectedStreamMessage } from '../peers/ws-peers.ts';

const STREAM_COUNT = 20_000;
const STREAM_SIZE = 32;
/** Far more than a screenful, far fewer than the stream: a virtualized list stays under this. */
const MAX_RENDERED_ROWS = 300;
/** Receiving and rendering 20k messages on a shared 2-core CI box: generous, bounded. */
const STREAM_TIMEOUT_MS = 90_000;

test('20,000 streamed messages: all counted, bounded DOM, UI still responds', async ({ app, peers }) => {
  test.setTimeout(STREAM_TIMEOUT_MS + 30_000);
  const peer = await peers.ws();
  const conn = await app.connect({ url: peer.urlFor(`/stream?n=${STREAM_COUNT}&size=${STREAM_SIZE}`), deflate: false });
  await expect(conn.messageCount).toHaveText('20,000 messages', { timeout: STREAM_TIMEOUT_MS });
  await expect(conn.viewTab('Chat')).toHaveAccessibleName(/20,000/);

  const rendered = await conn.messages().count();
  expect(rendered, 'message rows in the DOM').toBeGreaterThan(0);
  expect(rendered, 'message rows in the DOM').toBeLessThan(MAX_RENDERED_ROWS);
  // Still responsive: a click switches the view, and the frame log counts every frame.
  await conn.showView('Frames');
  await expect(conn.frameLog.getByTestId('frame-count')).toHaveText('20,000 frames', { timeout: STREAM_TIMEOUT_MS });
  const frameRows = await conn.frameRows().count();
  expect(frameRows, 'frame rows in the DOM').toBeLessThan(MAX_RENDERED_ROWS);
  await conn.showView('Chat');
  await conn.sendMessage('after the flood');
  await expect(conn.messageCount).toHaveText('20,002 messages');
});

test('after a 20,000-message burst the conversation shows the newest message ("Following latest")', async ({ app, peers }) => {
  test.setTimeout(STREAM_TIMEOUT_MS + 30_000);
  const peer = await peers.ws();
  const conn = await app.connect({ url: peer.urlFor(`/stream?n=${STREAM_COUNT}&size=${STREAM_SIZE}`), deflate: false });
  await expect(conn.messageCount).toHaveText('20,000 messages', { timeout: STREAM_TIMEOUT_MS });
  await expect(conn.root.getByText('Following latest')).toBeVisible();
  // Nothing else happens after the burst: the list must get to the bottom on its own.
  await expect(conn.conversation.getByText(expectedStreamMessage(STREAM_COUNT - 1, STREAM_SIZE), { exact: true })).toBeInViewport();
});

// Scenario 9: two tabs connected to two different servers (the ws package and Python websockets)
// keep their conversations apart: each tab shows only its own messages and each server receives
// only what was sent in its tab.
import { test, expect } from '../fixtures/test.ts';

test('two tabs to different servers keep their conversations apart', async ({ app, peers }) => {
  const wsPeer = await peers.ws();
  const pyPeer = await peers.python({ compression: false });
  const a = await app.open({ url: wsPeer.url, deflate: false });
  await a.sendMessage('for the ws server');
  const b = await app.open({ url: pyPeer.url, deflate: false });
  await b.sendMessage('for the python server');
  await b.sendMessage('python again');

  await expect(b.messages('Received', 'text')).toHaveCount(2);
  await expect(b.conversation).not.toContainText('for the ws server');

  await app.tab(a.label).click();
  await expect(a.root).toBeVisible();
  await expect(b.root).toBeHidden();
  await expect(a.messages('Received', 'text')).toHaveCount(1);
  await expect(a.messages('Received', 'text')).toContainText(['for the ws server']);
  await expect(a.conversation).not.toContainText('python');
  await a.sendMessage('ws again');
  await expect(a.messages('Received', 'text')).toHaveCount(2);

  await wsPeer.waitFor(() => wsPeer.received.length === 2, 'two messages at the ws server');
  expect(wsPeer.received.map((m) => m.data.toString('utf8'))).toEqual(['for the ws server', 'ws again']);

  // Each tab's frame log holds only its own frames.
  await a.showView('Frames');
  await expect(a.frameRows().filter({ hasText: 'python' })).toHaveCount(0);
  await app.tab(b.label).click();
  await b.showView('Frames');
  await expect(b.frameRows().filter({ hasText: 'python again' })).toHaveCount(2);
  await expect(b.frameRows().filter({ hasText: 'ws' })).toHaveCount(0);

  // Closing one tab leaves the other open.
  await b.closeTab.click();
  await expect(app.tab(b.label)).toHaveCount(0);
  await pyPeer.waitFor(() => pyPeer.closes.length === 1, 'the python server to see the close');
  expect(pyPeer.closes[0].code).toBe(1001);
  await app.tab(a.label).click();
  await a.expectState('OPEN');
});

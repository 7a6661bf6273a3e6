// The main path by keyboard, as the form and composer promise: Ctrl+T opens the form with the URL
// focused, Ctrl+Enter connects, Enter sends, Shift+Enter adds a line, ↑ recalls the last message,
// and arrow keys move between connection tabs (WAI-ARIA tabs pattern).
import { test, expect } from '../fixtures/test.ts';

test('connect, send, recall and switch tabs with the keyboard', async ({ app, appPage, peers }) => {
  const peer = await peers.ws();
  const other = await peers.ws();
  const keyboard = appPage.keyboard;

  await app.shortcutsButton.focus();
  await keyboard.press('Control+t');
  await expect(app.form.url).toBeFocused();
  await keyboard.type(peer.url);
  await keyboard.press('Control+Enter');
  const conn = app.connection(peer.url);
  await conn.expectState('OPEN');

  await conn.message.focus();
  await keyboard.type('line one');
  await keyboard.press('Shift+Enter');
  await keyboard.type('line two');
  await keyboard.press('Enter');
  await expect(conn.messages('Received', 'text')).toHaveCount(1);
  await peer.waitFor(() => peer.received.length === 1, 'the two-line message');
  expect(peer.received[0].data.toString('utf8')).toBe('line one\nline two');
  await expect(conn.message).toHaveValue('');

  await keyboard.press('ArrowUp');
  await expect(conn.message).toHaveValue('line one\nline two');
  await keyboard.press('Enter');
  await expect(conn.messages('Received', 'text')).toHaveCount(2);

  // A second connection, then back to the first with the arrow keys on the tab list.
  await keyboard.press('Control+t');
  await expect(app.form.url).toBeFocused();
  await app.form.url.fill(other.url);
  await keyboard.press('Enter');
  const second = app.connection(other.url);
  await second.expectState('OPEN');
  await app.tab(second.label).focus();
  await keyboard.press('ArrowLeft');
  await expect(app.tab(conn.label)).toHaveAttribute('aria-selected', 'true');
  await expect(app.tab(conn.label)).toBeFocused();
  await expect(conn.messages('Received', 'text')).toHaveCount(2);
});

// The main screens of Wirechat, brought up through the UI the way a user would, for the screenshot
// and accessibility specs: the empty connection form, a chat with text / JSON / binary messages,
// the frame log with a frame selected, the handshake panel, an error state, and the form again
// (now filled in with the last draft).
import { expect } from '@playwright/test';
import type { WsPeer } from '../peers/ws-peers.ts';
import type { ConnectionPanel, WirechatApp } from './wirechat-app.ts';

/** The empty connection form is shown before any connection exists (prepareMainScreens changes it). */
export const EMPTY_FORM_SCREEN = 'connection-form';
export const SCREEN_NAMES = ['chat', 'frame-log', 'handshake', 'error', 'connection-form-filled'] as const;
export type ScreenName = (typeof SCREEN_NAMES)[number];

export interface MainScreens {
  show(name: ScreenName): Promise<void>;
}

/**
 * Build the state every screen needs (one echo connection with some traffic, one refused
 * connection) and return a function that switches to each screen.
 */
export async function prepareMainScreens(app: WirechatApp, peer: WsPeer, refusedUrl: string): Promise<MainScreens> {
  const failed = await app.connect({ url: refusedUrl, deflate: false });
  await failed.expectState('CLOSED');

  const conn: ConnectionPanel = await app.open({
    url: peer.urlFor('/echo?room=lobby'),
    protocols: 'chat.v2',
    headers: [{ name: 'Authorization', value: 'Bearer demo-token' }],
  });
  await conn.sendMessage('Hello, Wirechat!');
  await conn.format('JSON');
  await conn.sendMessage('{"type":"join","room":"lobby","user":{"id":42,"name":"Ada"}}');
  await conn.format('Binary (hex)');
  await conn.sendMessage('48 65 6c 6c 6f 00 01 02 ff');
  await conn.format('Text');
  await conn.pingPayload.fill('keepalive');
  await conn.ping.click();
  await expect(conn.messages('Received')).toHaveCount(3);

  return {
    async show(name) {
      switch (name) {
        case 'connection-form-filled':
          // The form keeps the last draft, so this shows a filled-in form with a header row.
          await app.newConnectionTab.click();
          await expect(app.form.url).toBeVisible();
          break;
        case 'chat':
          await app.tab(conn.label).click();
          await conn.showView('Chat');
          await expect(conn.messages()).toHaveCount(6);
          break;
        case 'frame-log': {
          await app.tab(conn.label).click();
          await conn.showView('Frames');
          const row = conn.frameRow('received', 'TEXT').nth(1);
          await conn.selectFrame(row);
          await expect(conn.detailField('Opcode')).toContainText('TEXT');
          break;
        }
        case 'handshake':
          await app.tab(conn.label).click();
          await conn.showView('Handshake');
          await expect(conn.handshakeResponse).toContainText('101');
          break;
        case 'error':
          await app.tab(failed.label).click();
          await expect(failed.errors).toContainText(/refused/i);
          break;
      }
    },
  };
}

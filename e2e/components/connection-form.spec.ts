// <wc-connection-form>: invalid input is explained next to its field and nothing is emitted;
// a valid form emits exactly the ConnectOptions.
import { test, expect } from './fixtures.ts';

test.describe('connection form', () => {
  test.beforeEach(async ({ harness }) => {
    await harness.evaluate(() => wcHarness.mount('wc-connection-form'));
  });

  test('bad URL, header and subprotocol are explained next to the field; nothing is sent', async ({ harness }) => {
    const url = harness.getByRole('textbox', { name: 'URL' });
    await url.fill('http://127.0.0.1:8080/');
    await expect(url).toHaveAccessibleDescription(/not a WebSocket URL — use ws:\/\//);
    await harness.getByRole('textbox', { name: 'Subprotocols' }).fill('chat bad"token');
    await expect(harness.getByRole('textbox', { name: 'Subprotocols' })).toHaveAccessibleDescription(/not a valid token/);
    await harness.getByRole('button', { name: 'Add header' }).click();
    await harness.getByRole('textbox', { name: 'Header 1 name' }).fill('Sec-WebSocket-Key');
    await expect(harness.getByRole('textbox', { name: 'Header 1 name' })).toHaveAccessibleDescription(/cannot be set/);
    await harness.getByRole('button', { name: 'Connect' }).click();
    await url.press('Control+Enter');
    expect(await harness.evaluate(() => wcHarness.events)).toEqual([]);
    // The first invalid field gets focus so the user sees what to fix.
    await expect(url).toBeFocused();
  });

  test('errors appear for untouched fields after a submit attempt', async ({ harness }) => {
    await harness.getByRole('button', { name: 'Connect' }).click();
    await expect(harness.getByRole('textbox', { name: 'URL' })).toHaveAccessibleDescription(/Enter a WebSocket URL/);
    expect(await harness.evaluate(() => wcHarness.events)).toEqual([]);
  });

  test('a valid form emits the options (Ctrl+Enter)', async ({ harness }) => {
    await harness.getByRole('textbox', { name: 'URL' }).fill('ws://127.0.0.1:9001/chat');
    await harness.getByRole('textbox', { name: 'Subprotocols' }).fill('chat.v2, json');
    await harness.getByRole('textbox', { name: 'Origin' }).fill('http://localhost');
    await harness.getByRole('button', { name: 'Add header' }).click();
    await harness.getByRole('textbox', { name: 'Header 1 name' }).fill('Authorization');
    await harness.getByRole('textbox', { name: 'Header 1 value' }).fill('Bearer abc');
    await harness.getByRole('checkbox', { name: /permessage-deflate/ }).uncheck();
    await harness.getByRole('spinbutton', { name: /Keepalive/ }).fill('15');
    await harness.getByRole('spinbutton', { name: /Max message size/ }).fill('2');
    await harness.getByRole('textbox', { name: 'URL' }).press('Control+Enter');
    expect(await harness.evaluate(() => wcHarness.events)).toEqual([
      {
        name: 'wc-connect',
        detail: {
          url: 'ws://127.0.0.1:9001/chat',
          deflate: false,
          autoPong: true,
          maxMessageBytes: 2 * 1024 * 1024,
          protocols: ['chat.v2', 'json'],
          headers: [{ name: 'Authorization', value: 'Bearer abc' }],
          origin: 'http://localhost',
          keepaliveIntervalSec: 15,
        },
      },
    ]);
  });

  test('a custom CA file is read as PEM; a non-PEM file is explained', async ({ harness }) => {
    await harness.getByRole('textbox', { name: 'URL' }).fill('wss://localhost:8443/');
    const file = harness.getByLabel('Custom CA certificate (PEM)');
    await file.setInputFiles({ name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('hello') });
    await expect(file).toHaveAccessibleDescription(/not a PEM certificate/);
    await harness.getByRole('button', { name: 'Connect' }).click();
    expect(await harness.evaluate(() => wcHarness.events)).toEqual([]);
    const pem = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n';
    await file.setInputFiles({ name: 'ca.pem', mimeType: 'application/x-pem-file', buffer: Buffer.from(pem) });
    await harness.getByRole('checkbox', { name: 'Verify the server certificate' }).uncheck();
    await harness.getByRole('button', { name: 'Connect' }).click();
    const ev = await harness.evaluate(() => wcHarness.events);
    expect(ev).toHaveLength(1);
    expect(ev[0].detail).toMatchObject({ url: 'wss://localhost:8443/', tls: { verify: false, caPem: pem } });
  });

  test('the Connect button lines up with the URL input, not with its label', async ({ harness }) => {
    const input = await harness.getByRole('textbox', { name: 'URL' }).boundingBox();
    const button = await harness.getByRole('button', { name: 'Connect' }).boundingBox();
    expect(input && button).toBeTruthy();
    if (!input || !button) return;
    // Same row: top and bottom edges within a pixel of each other.
    expect(Math.abs(button.y - input.y)).toBeLessThanOrEqual(1);
    expect(Math.abs(button.y + button.height - (input.y + input.height))).toBeLessThanOrEqual(1);
  });

  test('after Connect the kept draft and its controls agree (deflate off stays off and is sent off)', async ({ harness }) => {
    const deflate = harness.getByRole('checkbox', { name: /permessage-deflate/ });
    const autoPong = harness.getByRole('checkbox', { name: 'Answer pings automatically' });
    await harness.getByRole('textbox', { name: 'URL' }).fill('ws://127.0.0.1:9001/a');
    await deflate.uncheck();
    await harness.getByRole('button', { name: 'Connect' }).click();
    // The app hides the form while connecting and shows it again later (busy on, then off).
    await harness.evaluate(() => wcHarness.set({ busy: true }));
    await harness.evaluate(() => wcHarness.set({ busy: false }));
    await expect(deflate).not.toBeChecked();
    await expect(autoPong).toBeChecked();
    await expect(harness.getByRole('textbox', { name: 'URL' })).toHaveValue('ws://127.0.0.1:9001/a');
    await autoPong.uncheck();
    await deflate.check();
    await harness.getByRole('button', { name: 'Connect' }).click();
    const sent = await harness.evaluate(() =>
      wcHarness.events.filter((e) => e.name === 'wc-connect').map((e) => {
        const o = e.detail as { deflate?: boolean; autoPong?: boolean };
        return { deflate: o.deflate, autoPong: o.autoPong };
      }),
    );
    expect(sent).toEqual([
      { deflate: false, autoPong: true },
      { deflate: true, autoPong: false },
    ]);
  });
});

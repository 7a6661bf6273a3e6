// Screenshots of the main screens at 1280×800 and 900×600, light and dark, written on every run to
// e2e/.artifacts/screenshots/ (gitignored; docs/screenshots holds the copy the README embeds).
// Each screen is reached through the UI and checked before it is captured.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { test, expect } from '../fixtures/test.ts';
import { SCREENSHOT_DIR } from '../fixtures/paths.ts';
import { EMPTY_FORM_SCREEN, SCREEN_NAMES, prepareMainScreens } from '../pages/main-screens.ts';
import { closedPortUrl } from '../fixtures/ports.ts';

const SIZES = [
  { width: 1280, height: 800 },
  { width: 900, height: 600 },
] as const;
const SCHEMES = ['light', 'dark'] as const;

for (const scheme of SCHEMES) {
  test.describe(`${scheme} theme`, () => {
    test.use({ colorScheme: scheme });

    test(`main screens, ${scheme}`, async ({ app, appPage, peers, appKind }, testInfo) => {
      mkdirSync(SCREENSHOT_DIR, { recursive: true });
      const shoot = async (name: string, size: (typeof SIZES)[number]): Promise<void> => {
        const file = `${appKind === 'electron' ? 'electron-' : ''}${name}-${size.width}x${size.height}-${scheme}.png`;
        const path = join(SCREENSHOT_DIR, file);
        // Animations off and the caret hidden so two runs of the same state look the same.
        await appPage.screenshot({ path, animations: 'disabled', caret: 'hide' });
        await testInfo.attach(file, { path, contentType: 'image/png' });
      };
      // The empty state first, before any connection exists.
      await expect(app.form.url).toHaveValue('');
      for (const size of SIZES) {
        await appPage.setViewportSize(size);
        await shoot(EMPTY_FORM_SCREEN, size);
      }
      const peer = await peers.ws({ protocols: ['chat.v2'] });
      const screens = await prepareMainScreens(app, peer, await closedPortUrl());
      for (const size of SIZES) {
        await appPage.setViewportSize(size);
        for (const name of SCREEN_NAMES) {
          await screens.show(name);
          await shoot(name, size);
        }
      }
    });
  });
}

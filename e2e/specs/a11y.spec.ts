// An axe-core scan (WCAG 2.x A/AA rules) of each main screen, light and dark: no serious or
// critical violation. Each screen is reached through the UI first (see e2e/pages/main-screens.ts).
import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import { test, expect } from '../fixtures/test.ts';
import { EMPTY_FORM_SCREEN, SCREEN_NAMES, prepareMainScreens } from '../pages/main-screens.ts';
import { closedPortUrl } from '../fixtures/ports.ts';

const BLOCKING_IMPACTS = new Set(['serious', 'critical']);

async function blockingViolations(page: Page): Promise<string[]> {
  const result = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']).analyze();
  return result.violations
    .filter((v) => BLOCKING_IMPACTS.has(v.impact ?? ''))
    .map((v) => {
      const where = v.nodes.map((n) => n.target.join(' ')).slice(0, 5).join(' | ');
      // The first check message says why (for color-contrast: the colors and the ratio).
      const why = v.nodes[0]?.any[0]?.message ?? v.nodes[0]?.all[0]?.message ?? '';
      return `${v.impact} ${v.id}: ${v.help} — ${where}${why ? ` — ${why}` : ''}`;
    });
}

for (const scheme of ['light', 'dark'] as const) {
  test.describe(`${scheme} theme`, () => {
    test.use({ colorScheme: scheme });

    test(`axe: no serious or critical violations on the main screens (${scheme})`, async ({ app, appPage, peers }) => {
      const found: Record<string, string[]> = {};
      found[EMPTY_FORM_SCREEN] = await blockingViolations(appPage);
      const peer = await peers.ws({ protocols: ['chat.v2'] });
      const screens = await prepareMainScreens(app, peer, await closedPortUrl());
      for (const name of SCREEN_NAMES) {
        await screens.show(name);
        found[name] = await blockingViolations(appPage);
      }
      expect(found).toEqual(Object.fromEntries(Object.keys(found).map((k) => [k, []])));
    });
  });
}

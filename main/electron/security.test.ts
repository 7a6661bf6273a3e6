import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { APP_ENTRY_URL, isAppUrl, isTrustedSender, safeExternalUrl } from './security.ts';
import { resolveAppFile } from './app-files.ts';
import { menuTemplate } from './menu.ts';

test('IPC senders: only the top frame of app://wirechat', () => {
  assert.equal(isTrustedSender(APP_ENTRY_URL, true), true);
  assert.equal(isTrustedSender('app://wirechat/other/page.html', true), true);
  assert.equal(isTrustedSender(APP_ENTRY_URL, false), false, 'subframes are refused');
  for (const url of ['https://wirechat/index.html', 'app://evil/index.html', 'file:///index.html', 'http://127.0.0.1/', 'about:blank', 'not a url', '', undefined]) {
    assert.equal(isTrustedSender(url, true), false, String(url));
  }
  assert.equal(isAppUrl('https://example.com/'), false);
});

test('external links: parsed https only, no credentials, bounded length', () => {
  assert.equal(safeExternalUrl('https://datatracker.ietf.org/doc/html/rfc6455#section-5.2'), 'https://datatracker.ietf.org/doc/html/rfc6455#section-5.2');
  for (const url of ['http://example.com/', 'javascript:alert(1)', 'file:///etc/passwd', 'smb://host/share', 'https://user:pw@example.com/', 'https://', ' https://x', 'https://x/' + 'a'.repeat(3000), 42, null]) {
    assert.equal(safeExternalUrl(url), null, String(url).slice(0, 40));
  }
});

test('app:// requests map only to files inside the renderer folder', () => {
  const dir = mkdtempSync(join(tmpdir(), 'wirechat-app-'));
  try {
    mkdirSync(join(dir, 'renderer', 'assets'), { recursive: true });
    writeFileSync(join(dir, 'renderer', 'index.html'), '<!doctype html>');
    writeFileSync(join(dir, 'renderer', 'main.js'), '');
    writeFileSync(join(dir, 'secret.txt'), 'x');
    symlinkSync(join(dir, 'secret.txt'), join(dir, 'renderer', 'assets', 'link.txt'));
    const root = join(dir, 'renderer');
    assert.match(resolveAppFile('app://wirechat/', root)?.contentType ?? '', /text\/html/);
    assert.match(resolveAppFile('app://wirechat/main.js', root)?.contentType ?? '', /javascript/);
    for (const url of ['app://wirechat/../secret.txt', 'app://wirechat/%2e%2e/secret.txt', 'app://wirechat/assets/link.txt', 'app://other/index.html', 'https://wirechat/index.html', 'app://wirechat/nope.js', 'app://wirechat/assets']) {
      assert.equal(resolveAppFile(url, root), null, url);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('menu: edit roles always, reload only in development, quit', () => {
  const roles = (isDev: boolean, platform: string): string[] =>
    JSON.stringify(menuTemplate({ isDev, platform, appName: 'Wirechat' })).match(/"role":"(\w+)"/g) ?? [];
  for (const platform of ['linux', 'darwin', 'win32']) {
    const prod = roles(false, platform);
    for (const r of ['copy', 'paste', 'cut', 'selectAll', 'quit']) assert.ok(prod.includes(`"role":"${r}"`), `${platform} ${r}`);
    assert.ok(!prod.includes('"role":"reload"') && !prod.includes('"role":"toggleDevTools"'), platform);
    assert.ok(roles(true, platform).includes('"role":"reload"'));
  }
});

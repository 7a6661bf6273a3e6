// electron-builder.yml checked with electron-builder's OWN schema validation (app-builder-lib's
// validateConfiguration over its scheme.json). Packaging cannot run here (no Electron binary), so
// this is what proves the config is one electron-builder accepts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const require = createRequire(import.meta.url);
const root = join(import.meta.dirname ?? new URL('.', import.meta.url).pathname, '..', '..');

interface BuilderConfig {
  [key: string]: unknown;
}
type Validate = (config: BuilderConfig, debugLogger: { isEnabled: boolean; add(key: string, value: unknown): void }) => Promise<void>;

const { validateConfiguration } = require('app-builder-lib/out/util/config/config') as { validateConfiguration: Validate };
const yaml = require('js-yaml') as { load(text: string): unknown };
const logger = { isEnabled: false, add: (): void => undefined };

function loadConfig(): BuilderConfig {
  return yaml.load(readFileSync(join(root, 'electron-builder.yml'), 'utf8')) as BuilderConfig;
}

test('electron-builder.yml passes electron-builder schema validation', async () => {
  const config = loadConfig();
  await validateConfiguration(config, logger);
  assert.equal(config.appId, 'dev.wirechat.app');
  assert.equal(config.productName, 'Wirechat');
  assert.deepEqual((config.files as string[]).filter((f) => !f.startsWith('!')), ['dist/main/**', 'dist/renderer/**', 'package.json']);
  const linux = config.linux as { target: string[]; category: string; maintainer: string };
  assert.deepEqual(linux.target, ['AppImage', 'deb']);
  assert.equal(linux.category, 'Development');
  assert.ok(linux.maintainer);
  assert.deepEqual((config.mac as { target: string[] }).target, ['dmg']);
  assert.equal((config.mac as { category: string }).category, 'public.app-category.developer-tools');
  assert.deepEqual((config.win as { target: string[] }).target, ['nsis']);
  assert.equal((config.directories as { output: string }).output, 'release/');
});

test('the same validation fails on an invalid key, top-level or nested, and on a wrong type', async () => {
  const config = loadConfig();
  await assert.rejects(validateConfiguration({ ...config, notAnOption: true }, logger), /unknown property 'notAnOption'/);
  await assert.rejects(validateConfiguration({ ...config, linux: { ...(config.linux as object), colour: 'blue' } }, logger), /configuration\.linux/);
  await assert.rejects(validateConfiguration({ ...config, asar: 'sometimes' }, logger), /asar/);
});

test('build/icon.png is a 512×512 PNG', () => {
  const png = readFileSync(join(root, 'build', 'icon.png'));
  // PNG signature, then the IHDR chunk: width and height as 32-bit big-endian (PNG spec §11.2.2).
  assert.deepEqual([...png.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  assert.equal(png.toString('ascii', 12, 16), 'IHDR');
  assert.equal(png.readUInt32BE(16), 512);
  assert.equal(png.readUInt32BE(20), 512);
});

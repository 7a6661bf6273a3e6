// Builds main (Node/Electron bundles) and renderer (browser bundle) with esbuild into dist/.
// Entries whose source does not exist yet are skipped, so a partial tree still builds.
import { build } from 'esbuild';
import { existsSync, mkdirSync, cpSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dist = join(root, 'dist');
const dev = process.argv.includes('--dev');

/** [source, outfile, platform, format, extra] */
const entries = [
  ['main/electron/main.ts', 'main/electron/main.cjs', 'node', 'cjs', { external: ['electron'] }],
  ['main/electron/preload.ts', 'main/electron/preload.cjs', 'node', 'cjs', { external: ['electron'] }],
  ['main/web/server.ts', 'main/web/server.mjs', 'node', 'esm', {}],
  ['main/cli/index.ts', 'main/cli/index.mjs', 'node', 'esm', {}],
  ['main/bench/run.ts', 'main/bench/run.mjs', 'node', 'esm', { external: ['ws', 'bufferutil', 'utf-8-validate'] }],
  ['renderer/main.ts', 'renderer/main.js', 'browser', 'esm', {}],
  ['e2e/components/harness.ts', 'e2e/components/harness.js', 'browser', 'esm', {}],
];

rmSync(dist, { recursive: true, force: true });
mkdirSync(dist, { recursive: true });
const esmRequireShim =
  "import { createRequire as __wcCreateRequire } from 'node:module'; const require = __wcCreateRequire(import.meta.url);";
await Promise.all(
  entries
    .filter(([src]) => existsSync(join(root, src)))
    .map(([src, out, platform, format, extra]) =>
      build({
        entryPoints: [join(root, src)],
        outfile: join(dist, out),
        bundle: true,
        platform,
        format,
        target: platform === 'node' ? 'node20' : 'chrome120',
        sourcemap: dev ? 'inline' : 'linked',
        minify: false,
        legalComments: 'none',
        logLevel: 'warning',
        banner: platform === 'node' && format === 'esm' ? { js: esmRequireShim } : undefined,
        ...extra,
      }),
    ),
);
// Static renderer files (index.html, css, icons).
for (const f of ['renderer/index.html', 'renderer/styles.css', 'renderer/assets', 'e2e/components/harness.html']) {
  if (existsSync(join(root, f))) cpSync(join(root, f), join(dist, f), { recursive: true });
}
console.log('build: ok');

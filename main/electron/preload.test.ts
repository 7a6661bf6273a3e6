// The preload bundle run against a recording stand-in for `electron`: it must expose exactly the
// WirechatApi (one function per command, onEvents, host) under PRELOAD_GLOBAL and nothing else —
// in particular never ipcRenderer (Electron security checklist).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import Module from 'node:module';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { COMMAND_NAMES, IPC_EVENTS_CHANNEL, PRELOAD_GLOBAL, ipcChannel, type EventBatch } from '../../shared/api.ts';

type Loader = (request: string, parent: unknown, isMain: boolean) => unknown;
const mod = Module as unknown as { _load: Loader };

test('preload exposes exactly the API and routes calls to the command channels', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'wirechat-preload-'));
  const exposed = new Map<string, Record<string, unknown>>();
  const invoked: Array<[string, unknown]> = [];
  const listeners = new Map<string, Set<(e: unknown, b: EventBatch) => void>>();
  const fake = {
    contextBridge: { exposeInMainWorld: (key: string, api: Record<string, unknown>) => void exposed.set(key, api) },
    ipcRenderer: {
      invoke: async (channel: string, args: unknown) => {
        invoked.push([channel, args]);
        return { ok: true };
      },
      on: (c: string, l: (e: unknown, b: EventBatch) => void) => void (listeners.get(c) ?? listeners.set(c, new Set()).get(c))?.add(l),
      removeListener: (c: string, l: (e: unknown, b: EventBatch) => void) => void listeners.get(c)?.delete(l),
    },
  };
  const originalLoad = mod._load;
  try {
    const outfile = join(dir, 'preload.cjs');
    await build({ entryPoints: [join(import.meta.dirname, 'preload.ts')], outfile, bundle: true, platform: 'node', format: 'cjs', external: ['electron'], logLevel: 'warning' });
    mod._load = function (request, parent, isMain) {
      return request === 'electron' ? fake : originalLoad.call(this, request, parent, isMain);
    };
    Module.createRequire(outfile)(outfile);
    assert.deepEqual([...exposed.keys()], [PRELOAD_GLOBAL]);
    const api = exposed.get(PRELOAD_GLOBAL) ?? {};
    assert.deepEqual(Object.keys(api).sort(), [...COMMAND_NAMES, 'onEvents', 'host'].sort());
    assert.equal(api.host, 'electron');
    assert.ok(Object.isFrozen(api));
    for (const v of Object.values(api)) assert.notEqual(v, fake.ipcRenderer);
    for (const name of COMMAND_NAMES) {
      const r = await (api[name] as (a: unknown) => Promise<unknown>)({ id: name });
      assert.deepEqual(r, { ok: true });
    }
    assert.deepEqual(invoked.map(([c]) => c), COMMAND_NAMES.map(ipcChannel));
    const got: EventBatch[] = [];
    const off = (api.onEvents as (l: (b: EventBatch) => void) => () => void)((b) => got.push(b));
    for (const l of listeners.get(IPC_EVENTS_CHANNEL) ?? []) l({ sender: 'ipc event object' }, { batch: 1, events: [] });
    assert.deepEqual(got, [{ batch: 1, events: [] }], 'the listener gets the batch, never the IPC event object');
    off();
    assert.equal(listeners.get(IPC_EVENTS_CHANNEL)?.size, 0);
    assert.throws(() => (api.onEvents as (l: unknown) => void)('not a function'), TypeError);
  } finally {
    mod._load = originalLoad;
    rmSync(dir, { recursive: true, force: true });
  }
});

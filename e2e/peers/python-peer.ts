// Starts python-peer.py (Python `websockets`, an implementation we did not write) as a child
// process and resolves once it printed its port. Debian's /usr/bin/python3 is used on purpose:
// the python3 on PATH may be another interpreter without the websockets package.

import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { Signal, DEFAULT_WAIT_MS, stopChildProcess } from './wait.ts';

export const PYTHON = process.env.WIRECHAT_PYTHON ?? '/usr/bin/python3';
const SCRIPT = fileURLToPath(new URL('./python-peer.py', import.meta.url));
const STOP_GRACE_MS = 5_000;

export interface PythonPeerOptions {
  compression?: boolean;
  subprotocols?: string[];
}

export interface PythonClose {
  code: number | null;
  reason: string;
  subprotocol: string | null;
}

export interface PythonPeer {
  url: string;
  port: number;
  urlFor(pathAndQuery: string): string;
  /** Closes the server recorded, one per finished connection. */
  closes: PythonClose[];
  waitFor<T>(check: () => T | undefined | null | false, what: string, timeoutMs?: number): Promise<T>;
  stop(): Promise<void>;
}

interface PeerLine {
  event: string;
  port?: number;
  code?: number | null;
  reason?: string;
  subprotocol?: string | null;
}

export async function startPythonPeer(options: PythonPeerOptions = {}): Promise<PythonPeer> {
  const args = [SCRIPT, '--compression', options.compression === false ? 'off' : 'on'];
  if (options.subprotocols?.length) args.push('--subprotocols', options.subprotocols.join(','));
  const child: ChildProcess = spawn(PYTHON, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  const signal = new Signal();
  const closes: PythonClose[] = [];
  let port: number | undefined;
  let exited = false;
  let stderr = '';
  child.stderr?.on('data', (c: Buffer) => {
    stderr += c.toString();
  });
  child.on('exit', () => {
    exited = true;
    signal.notify();
  });
  let pending = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    pending += chunk.toString();
    let nl: number;
    while ((nl = pending.indexOf('\n')) >= 0) {
      const line = pending.slice(0, nl).trim();
      pending = pending.slice(nl + 1);
      if (!line) continue;
      let parsed: PeerLine;
      try {
        parsed = JSON.parse(line) as PeerLine;
      } catch {
        continue; // not one of our event lines
      }
      if (parsed.event === 'listening' && typeof parsed.port === 'number') port = parsed.port;
      if (parsed.event === 'close') closes.push({ code: parsed.code ?? null, reason: parsed.reason ?? '', subprotocol: parsed.subprotocol ?? null });
      signal.notify();
    }
  });
  try {
    await signal.waitFor(() => {
      if (exited && port === undefined) throw new Error(`python peer exited before listening: ${stderr.trim()}`);
      return port;
    }, 'the python peer to listen');
  } catch (err) {
    child.kill('SIGKILL');
    throw err;
  }
  const p = port as number;
  const base = `ws://127.0.0.1:${p}`;
  return {
    url: `${base}/echo`,
    port: p,
    urlFor: (path) => base + path,
    closes,
    waitFor: (check, what, timeoutMs = DEFAULT_WAIT_MS) => signal.waitFor(check, what, timeoutMs),
    // If it ignores SIGTERM (stuck handler), stopChildProcess does not leave it behind.
    stop: () => stopChildProcess(child, STOP_GRACE_MS),
  };
}

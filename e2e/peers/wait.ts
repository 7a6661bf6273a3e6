// Waiting for a condition, never for a fixed time. A waiter re-checks its condition whenever its
// source signals a change; the timeout only bounds a failure so a broken peer cannot hang a test.

import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';

export const DEFAULT_WAIT_MS = 10_000;

export class Signal {
  #waiters = new Set<() => void>();

  /** Wake every waiter so it re-checks its condition. */
  notify(): void {
    for (const w of [...this.#waiters]) w();
  }

  /** Resolve with the first truthy value of `check()`, re-checked on each notify(). */
  waitFor<T>(check: () => T | undefined | null | false, what: string, timeoutMs = DEFAULT_WAIT_MS): Promise<T> {
    const first = check();
    if (first) return Promise.resolve(first);
    return new Promise<T>((resolve, reject) => {
      const waiter = (): void => {
        let value: T | undefined | null | false;
        try {
          value = check();
        } catch (err) {
          cleanup();
          reject(err instanceof Error ? err : new Error(String(err)));
          return;
        }
        if (value) {
          cleanup();
          resolve(value);
        }
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}`));
      }, timeoutMs);
      const cleanup = (): void => {
        clearTimeout(timer);
        this.#waiters.delete(waiter);
      };
      this.#waiters.add(waiter);
    });
  }
}

/** Read a child process's stdout until a line matches; resolves with the match. */
export function waitForLine(
  stream: NodeJS.ReadableStream,
  pattern: RegExp,
  what: string,
  timeoutMs = DEFAULT_WAIT_MS,
): Promise<RegExpMatchArray> {
  return new Promise((resolve, reject) => {
    let buffered = '';
    const onData = (chunk: Buffer | string): void => {
      buffered += chunk.toString();
      let nl: number;
      while ((nl = buffered.indexOf('\n')) >= 0) {
        const line = buffered.slice(0, nl);
        buffered = buffered.slice(nl + 1);
        const m = line.match(pattern);
        if (m) {
          cleanup();
          resolve(m);
          return;
        }
      }
    };
    const onEnd = (): void => {
      cleanup();
      reject(new Error(`stream ended before ${what}`));
    };
    const timer = setTimeout(() => {
      cleanup();
      reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}`));
    }, timeoutMs);
    const cleanup = (): void => {
      clearTimeout(timer);
      stream.off('data', onData);
      stream.off('end', onEnd);
    };
    stream.on('data', onData);
    stream.on('end', onEnd);
  });
}

/**
 * Stop a child process: SIGTERM (so it can close its connections cleanly), then SIGKILL if it has
 * not exited within graceMs, so a stuck child cannot outlive the test run. Resolves on exit.
 */
export async function stopChildProcess(child: ChildProcess, graceMs: number): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const gone = once(child, 'exit');
  child.kill('SIGTERM');
  const force = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await gone;
  clearTimeout(force);
}

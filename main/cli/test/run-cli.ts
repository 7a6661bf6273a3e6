// Runs `wirechat` as a real process (node bin/wirechat.mjs …) for the CLI tests: optional stdin
// text, captured stdout/stderr, the exit code. A hung CLI is killed (by its pid) after a bound so a
// broken build fails the test instead of hanging the run.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';

export const BIN = fileURLToPath(new URL('../../../bin/wirechat.mjs', import.meta.url));
const HANG_LIMIT_MS = 30_000;

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
  /** stdout split into lines (no trailing empty line). */
  lines: string[];
}

export interface CliRunOptions {
  /** Written to stdin, then stdin is closed. Without it stdin is closed at once (EOF). */
  stdin?: string;
  /** Keep stdin open until the CLI exits (interactive tests end it with a signal or /close). */
  keepStdinOpen?: boolean;
  whileRunning?: (child: ChildProcess, out: { stdout: () => string; stderr: () => string }) => Promise<void>;
}

export async function runCli(args: string[], o: CliRunOptions = {}): Promise<CliRun> {
  const child = spawn(process.execPath, [BIN, ...args], { stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, FORCE_COLOR: '0' } });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (c: Buffer) => (stdout += c.toString()));
  child.stderr!.on('data', (c: Buffer) => (stderr += c.toString()));
  // The CLI may exit before reading everything we pipe in (e.g. after /close).
  child.stdin!.on('error', () => {});
  // 'close', not 'exit': stdout and stderr are fully read only then.
  const exited = once(child, 'close') as Promise<[number | null, string | null]>;
  const killer = setTimeout(() => child.kill('SIGKILL'), HANG_LIMIT_MS);
  if (o.stdin !== undefined) child.stdin!.write(o.stdin);
  if (!o.keepStdinOpen) child.stdin!.end();
  try {
    if (o.whileRunning) await o.whileRunning(child, { stdout: () => stdout, stderr: () => stderr });
  } catch (err) {
    child.kill('SIGKILL');
    throw err;
  }
  // With keepStdinOpen, stdin stays open until the CLI exits: an EOF racing a signal sent by
  // whileRunning would change what is being tested.
  const [code] = await exited;
  clearTimeout(killer);
  return { code, stdout, stderr, lines: stdout.split('\n').filter((l) => l !== '') };
}

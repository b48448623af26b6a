// Test support: `renkei worker` processes on the test's PostgreSQL database, and polling.
import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';

const bin = join(import.meta.dirname, '..', 'bin', 'renkei.ts');

/** What a test adds to a worker: its arguments (`--connectors …`) and environment. */
export interface WorkerExtras {
  args?: readonly string[];
  env?: Record<string, string>;
  /** Where the worker's log goes (default: this process's stderr). */
  stderr?: 'inherit' | 'ignore';
}

/** A `renkei worker` on `databaseUrl` that reclaims a lost chunk's job within a second or so. */
export function spawnWorker(databaseUrl: string, secretKey: string, extras: WorkerExtras = {}): ChildProcess {
  return spawn(process.execPath, [bin, 'worker', ...(extras.args ?? [])], {
    env: {
      ...process.env,
      DATABASE_URL: databaseUrl,
      RENKEI_SECRET_KEY: secretKey,
      RENKEI_SUPERVISE_SECONDS: '1',
      ...extras.env,
    },
    stdio: ['ignore', 'ignore', extras.stderr ?? 'inherit'],
  });
}

/** The worker processes a test starts; `killAll()` (after each test) leaves none behind. */
export function workerPool(databaseUrl: () => string, secretKey: string) {
  const children: ChildProcess[] = [];
  return {
    start(extras: WorkerExtras = {}): ChildProcess {
      const child = spawnWorker(databaseUrl(), secretKey, extras);
      children.push(child);
      return child;
    },
    killAll(): void {
      for (const child of children.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
    },
  };
}

/** Reads until `done` holds; fails with the last value read after `timeoutMs`. */
export async function waitFor<T>(
  read: () => Promise<T>,
  done: (value: T) => boolean,
  timeoutMs: number,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`timed out; last: ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

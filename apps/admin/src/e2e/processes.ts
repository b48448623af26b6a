// Test support: `pnpm fakes`, `renkei serve` and `renkei worker` as child processes, read through
// what they print (the fakes' RENKEI_VENDOR_BASE_URLS line, serve's JSON log lines).
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { createServerDatabase, type ServerDatabase } from '@renkei/hub/testing/database';

const REPO = fileURLToPath(new URL('../../../../', import.meta.url));
const CLI = join(REPO, 'apps', 'admin', 'src', 'cli.ts');
const FAKES = join(REPO, 'packages', 'fakes', 'src', 'main.ts');

export interface FakesInfo {
  baseUrls: string;
  vendors: { id: string; credentials: Record<string, string> }[];
}

export interface Child {
  child: ChildProcess;
  /** Every JSON log line printed so far. */
  logs: Record<string, unknown>[];
  /** Resolves with the first log line that matches. */
  waitForLog(
    match: (line: Record<string, unknown>) => boolean,
    timeoutMs?: number,
  ): Promise<Record<string, unknown>>;
  /** Sends the signal and resolves with the exit code (SIGKILL after `timeoutMs`). */
  stop(signal?: NodeJS.Signals, timeoutMs?: number): Promise<number | null>;
}

const running = new Set<ChildProcess>();

/** Kills whatever a test left running (afterAll). */
export function killAll(): void {
  for (const child of running)
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  running.clear();
}

function track(child: ChildProcess, name: string): Child {
  running.add(child);
  const logs: Record<string, unknown>[] = [];
  const waiters: {
    match: (line: Record<string, unknown>) => boolean;
    resolve: (line: Record<string, unknown>) => void;
  }[] = [];
  const onLine = (line: string) => {
    if (process.env.RENKEI_E2E_VERBOSE) console.log(`[${name}] ${line}`);
    let parsed: Record<string, unknown>;
    try {
      parsed = JSON.parse(line) as Record<string, unknown>;
    } catch {
      parsed = { text: line };
    }
    logs.push(parsed);
    for (const waiter of [...waiters]) {
      if (waiter.match(parsed)) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve(parsed);
      }
    }
  };
  if (child.stdout) createInterface({ input: child.stdout }).on('line', onLine);
  if (child.stderr) createInterface({ input: child.stderr }).on('line', onLine);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  exited.then(() => running.delete(child));
  return {
    child,
    logs,
    waitForLog(match, timeoutMs = 90_000) {
      const found = logs.find(match);
      if (found) return Promise.resolve(found);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(
          () =>
            reject(
              new Error(
                `${name}: no matching log line in ${timeoutMs} ms; last: ${JSON.stringify(logs.slice(-5))}`,
              ),
            ),
          timeoutMs,
        );
        exited.then((code) =>
          reject(new Error(`${name} exited with ${code}; last: ${JSON.stringify(logs.slice(-5))}`)),
        );
        waiters.push({
          match,
          resolve: (line) => {
            clearTimeout(timer);
            resolve(line);
          },
        });
      });
    },
    async stop(signal = 'SIGTERM', timeoutMs = 40_000) {
      if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
      child.kill(signal);
      const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
      const code = await exited;
      clearTimeout(timer);
      return code;
    },
  };
}

/** `pnpm fakes --seed` with its state in `folder`; resolves once it listens, with what it serves. */
export async function startFakes(folder: string): Promise<Child & { info: FakesInfo; url: string }> {
  const infoFile = join(folder, 'fakes-info.json');
  const child = track(
    spawn(process.execPath, [FAKES, '--seed', '--state', join(folder, 'fakes.json'), '--info', infoFile], {
      stdio: ['ignore', 'pipe', 'pipe'],
    }),
    'fakes',
  );
  const line = await child.waitForLog((entry) =>
    String(entry.text ?? '').startsWith('RENKEI_VENDOR_BASE_URLS='),
  );
  const info = JSON.parse(readFileSync(infoFile, 'utf8')) as FakesInfo;
  expectSame(String(line.text).slice('RENKEI_VENDOR_BASE_URLS='.length), info.baseUrls);
  const url = new URL(info.baseUrls.split(',')[0]?.split('=')[1] ?? '').origin;
  return { ...child, info, url };
}

function expectSame(printed: string, written: string): void {
  if (printed !== written) throw new Error(`fakes printed ${printed} but wrote ${written}`);
}

export const newSecretKey = (): string => randomBytes(32).toString('base64');

/** `renkei serve` with `env` on a free port; resolves once it listens, with its URL. */
export async function startServe(env: Record<string, string>): Promise<Child & { url: string }> {
  const child = track(
    spawn(process.execPath, [CLI, 'serve'], {
      env: { ...process.env, PORT: '0', HOST: '127.0.0.1', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    }),
    'serve',
  );
  const started = await child.waitForLog((line) => line.message === 'renkei serve started');
  return { ...child, url: String(started.url) };
}

/** `renkei worker` with `env` (a PostgreSQL DATABASE_URL among it). */
export async function startWorker(env: Record<string, string>): Promise<Child> {
  const child = track(
    spawn(process.execPath, [CLI, 'worker'], {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    }),
    'worker',
  );
  await child.waitForLog((line) => line.message === 'renkei worker started');
  return child;
}

/** Runs `renkei <args>` to the end with `stdin` piped in; resolves with its exit code and output. */
export function runCli(
  args: readonly string[],
  env: Record<string, string | undefined>,
  stdin = '',
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, ...args], {
      env: { ...process.env, ...env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
    });
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
    });
    child.stdin.end(stdin);
    child.once('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

/** The fake server's request log for one vendor. */
export async function fakeRequests(
  fakesUrl: string,
  id: string,
): Promise<{ method: string; url: string; requestClass: string; status: number }[]> {
  const response = await fetch(`${fakesUrl}/__fakes/${id}/requests`);
  return (await response.json()) as { method: string; url: string; requestClass: string; status: number }[];
}

/** A new database on the server at DATABASE_URL for one test file, and how to drop it afterwards. */
export function freshDatabase(): Promise<ServerDatabase> {
  return createServerDatabase('admin_e2e');
}

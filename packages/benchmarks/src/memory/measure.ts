/**
 * Resident memory of one whole process (issue #17 item 3): starts `node <args>` as a child, samples
 * `/proc/<pid>/status` (VmRSS; VmHWM is the kernel's own peak) every 100 ms, waits until the process
 * answers `GET <url>/healthz`, then lets it sit idle and reports the median RSS of the idle window.
 * Linux only (reads /proc).
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';

export interface MemoryRun<T = void> {
  /** ms from spawn until /healthz answered. */
  readyMs: number;
  /** VmHWM when ready (MB). */
  peakAtReadyMb: number;
  /** VmHWM at the end of the run: the start peak, tier-up included (MB). */
  peakMb: number;
  /** Median VmRSS over the last `idleWindowMs` (MB). */
  idleMb: number;
  /** While `during` ran: the highest and the median VmRSS sampled (MB), and what it returned. */
  during?: { peakMb: number; medianMb: number; result: T };
}

export interface MeasureOptions<T = void> {
  args: readonly string[];
  env: NodeJS.ProcessEnv;
  cwd: string;
  url: string;
  /** How long to sit after ready before the idle window starts (V8 tiers PGlite up meanwhile). */
  settleMs?: number;
  idleWindowMs?: number;
  readyTimeoutMs?: number;
  /** Runs while the process is up and ready (e.g. a sync); its peak counts in `peakMb` too. */
  during?: (url: string) => Promise<T>;
}

function status(pid: number): { rss: number; hwm: number } | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (key: string) => Number(new RegExp(`^${key}:\\s+(\\d+)`, 'm').exec(text)?.[1] ?? Number.NaN);
    return { rss: kb('VmRSS') / 1024, hwm: kb('VmHWM') / 1024 };
  } catch {
    return undefined;
  }
}

const median = (values: readonly number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
};

export async function measureProcess<T = void>(options: MeasureOptions<T>): Promise<MemoryRun<T>> {
  const settleMs = options.settleMs ?? 15_000;
  const idleWindowMs = options.idleWindowMs ?? 5_000;
  const started = performance.now();
  const child = spawn(process.execPath, options.args, {
    cwd: options.cwd,
    env: options.env,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000);
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  let exitCode: number | null | undefined;
  void exited.then((code) => {
    exitCode = code;
  });
  const pid = child.pid;
  if (pid === undefined) throw new Error('spawn failed');
  let peak = 0;
  const samples: { at: number; rss: number }[] = [];
  const timer = setInterval(() => {
    const s = status(pid);
    if (!s) return;
    peak = Math.max(peak, s.hwm);
    samples.push({ at: performance.now(), rss: s.rss });
  }, 100);
  try {
    const deadline = started + (options.readyTimeoutMs ?? 180_000);
    let readyMs: number | undefined;
    while (readyMs === undefined) {
      if (exitCode !== undefined) throw new Error(`exited with ${exitCode} before ready:\n${stderr}`);
      if (performance.now() > deadline) throw new Error(`not ready in time:\n${stderr}`);
      try {
        const response = await fetch(`${options.url}/healthz`);
        if (response.ok) readyMs = performance.now() - started;
      } catch {
        // not listening yet
      }
      if (readyMs === undefined) await sleep(100);
    }
    const peakAtReadyMb = status(pid)?.hwm ?? peak;
    let during: MemoryRun<T>['during'];
    if (options.during) {
      const from = performance.now();
      const result = await options.during(options.url);
      const rss = samples.filter((s) => s.at >= from).map((s) => s.rss);
      during = { peakMb: Math.max(...rss), medianMb: median(rss), result };
    }
    await sleep(settleMs);
    const windowStart = performance.now();
    await sleep(idleWindowMs);
    const idle = samples.filter((s) => s.at >= windowStart).map((s) => s.rss);
    const end = status(pid);
    return {
      readyMs,
      peakAtReadyMb,
      peakMb: Math.max(peak, end?.hwm ?? 0),
      idleMb: median(idle),
      ...(during ? { during } : {}),
    };
  } finally {
    clearInterval(timer);
    if (exitCode === undefined) {
      child.kill('SIGTERM');
      const killer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(killer);
    }
  }
}

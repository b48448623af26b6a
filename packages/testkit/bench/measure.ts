import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export interface Timing {
  medianMs: number;
  minMs: number;
  runs: number;
  /**
   * Median CPU time of the process (user + system) over the same calls, where measured: on a shared
   * machine the wall time also holds the time other processes had the core.
   */
  cpuMedianMs?: number;
}

/**
 * Median wall time of each function over `runs` calls after `warmup` unmeasured ones. The
 * functions take turns (in alternating order), so load from elsewhere on the machine hits all alike.
 * With `--expose-gc` the heap is collected before every call, so no function pays for the garbage
 * of the one before it (with the inputs resident, one major GC costs as much as a whole run).
 */
export function timeInterleaved<K extends string>(
  fns: Record<K, () => unknown>,
  runs: number,
  warmup = 1,
): Record<K, Timing> {
  const names = Object.keys(fns) as K[];
  const samples = Object.fromEntries(names.map((name) => [name, [] as number[]])) as Record<K, number[]>;
  for (let i = 0; i < warmup + runs; i++) {
    for (const name of i % 2 ? [...names].reverse() : names) {
      globalThis.gc?.();
      const start = performance.now();
      fns[name]();
      if (i >= warmup) samples[name].push(performance.now() - start);
    }
  }
  return Object.fromEntries(names.map((name) => [name, summarise(samples[name])])) as Record<K, Timing>;
}

export interface PhasedTiming {
  /** Taking every record as it is listed. */
  arrive: Timing;
  /** The step after the last record arrived. */
  finish: Timing;
}

/**
 * `timeInterleaved` for subjects split in two phases (`arrive` returns the step run after the last
 * record): each phase timed on its own, the heap collected before each.
 */
export function timePhased<K extends string>(
  fns: Record<K, () => () => unknown>,
  runs: number,
  warmup = 1,
): Record<K, PhasedTiming> {
  const names = Object.keys(fns) as K[];
  const samples = () =>
    Object.fromEntries(names.map((name) => [name, [] as number[]])) as Record<K, number[]>;
  const [arrive, finish, arriveCpu, finishCpu] = [samples(), samples(), samples(), samples()];
  const cpuSince = (start: NodeJS.CpuUsage) => {
    const used = process.cpuUsage(start);
    return (used.user + used.system) / 1000;
  };
  for (let i = 0; i < warmup + runs; i++) {
    for (const name of i % 2 ? [...names].reverse() : names) {
      globalThis.gc?.();
      let cpu = process.cpuUsage();
      let start = performance.now();
      const last = fns[name]();
      const arrived = performance.now() - start;
      const arrivedCpu = cpuSince(cpu);
      globalThis.gc?.();
      cpu = process.cpuUsage();
      start = performance.now();
      last();
      const finished = performance.now() - start;
      const finishedCpu = cpuSince(cpu);
      if (i >= warmup) {
        arrive[name].push(arrived);
        finish[name].push(finished);
        arriveCpu[name].push(arrivedCpu);
        finishCpu[name].push(finishedCpu);
      }
    }
  }
  return Object.fromEntries(
    names.map((name) => [
      name,
      {
        arrive: { ...summarise(arrive[name]), cpuMedianMs: median(arriveCpu[name]) },
        finish: { ...summarise(finish[name]), cpuMedianMs: median(finishCpu[name]) },
      },
    ]),
  ) as Record<K, PhasedTiming>;
}

function median(samples: readonly number[]): number {
  const sorted = [...samples].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

function summarise(samples: number[]): Timing {
  return { medianMs: median(samples), minMs: Math.min(...samples), runs: samples.length };
}

export interface Memory {
  /** RSS with the inputs built, before the subject runs. */
  inputsMb: number;
  /** Peak RSS while the subject runs (inputs included). */
  peakMb: number;
}

const child = fileURLToPath(new URL('./rss-child.ts', import.meta.url));

/** Peak RSS of one subject at one size, measured in a fresh process. */
export function peakMemory(subject: string, size: number): Memory {
  const output = execFileSync(process.execPath, ['--expose-gc', child, subject, String(size)], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const { inputsMb, peakMb } = JSON.parse(output) as Memory;
  return { inputsMb, peakMb };
}

/** Growth exponent k in t ∝ nᵏ between two sizes. */
export function growthExponent(n1: number, t1: number, n2: number, t2: number): number {
  return Math.log(t2 / t1) / Math.log(n2 / n1);
}

export function describeGrowth(exponent: number): string {
  if (exponent < 1.25) return 'linear';
  if (exponent < 1.6) return 'n log n or slightly worse';
  return exponent < 2.4 ? 'quadratic' : 'worse than quadratic';
}

export interface Timing {
  medianMs: number;
  minMs: number;
  runs: number;
}

/**
 * Median wall time of each async function over `runs` calls after `warmup` unmeasured ones, taking
 * turns in alternating order so load from elsewhere on the machine hits all alike.
 */
export async function timeInterleaved<K extends string>(
  fns: Record<K, () => Promise<unknown>>,
  runs: number,
  warmup = 2,
): Promise<Record<K, Timing>> {
  const names = Object.keys(fns) as K[];
  const samples = new Map<K, number[]>(names.map((name) => [name, []]));
  for (let i = 0; i < warmup + runs; i++) {
    for (const name of i % 2 ? [...names].reverse() : names) {
      const start = performance.now();
      await fns[name]();
      if (i >= warmup) samples.get(name)?.push(performance.now() - start);
    }
  }
  return Object.fromEntries(names.map((name) => [name, summarise(samples.get(name) ?? [])])) as Record<
    K,
    Timing
  >;
}

export function summarise(samples: readonly number[]): Timing {
  const sorted = [...samples].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  const medianMs =
    sorted.length % 2 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
  return { medianMs, minMs: sorted[0] as number, runs: sorted.length };
}

import { setFlagsFromString } from 'node:v8';

let applied = false;

/**
 * Keeps PGlite's WebAssembly on V8's baseline compiler (Liftoff): no TurboFan tier-up. Optimising
 * PostgreSQL's ~9 MB of WebAssembly with TurboFan takes about 500 MB of memory for a few seconds
 * after start (a process peaking at 1.1–1.3 GB instead of 0.6–0.8 GB) and two cores' worth of CPU
 * just when the first pages are asked for. Liftoff code ran a long query-heavy workload about a
 * tenth slower, and the first queries after start faster (packages/benchmarks/README.md, "Memory").
 * Process-wide and set once, before the first PGlite compiles: `--liftoff-only` itself is ignored
 * when set at run time (its implications are resolved when V8 starts), these two are read at each
 * compilation.
 */
export function keepWasmOnBaseline(): void {
  if (applied) return;
  applied = true;
  setFlagsFromString('--no-wasm-tier-up');
  setFlagsFromString('--no-wasm-dynamic-tiering');
}

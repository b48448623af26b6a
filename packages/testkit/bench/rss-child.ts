/**
 * Measures one subject's peak resident memory in a process of its own:
 * `node --expose-gc bench/rss-child.ts <plan|naive> <size>` prints `{ inputsMb, peakMb }`.
 * The high-water mark is reset once the inputs are built, so generating them does not count,
 * but the inputs being resident does (as they are in any real run).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { planInputs } from './inputs.ts';
import { SUBJECTS, type Subject } from './subjects.ts';

const [subject, sizeArg] = process.argv.slice(2) as [Subject, string];
const run = SUBJECTS[subject];
if (!run) throw new Error(`Unknown subject ${subject}; expected one of ${Object.keys(SUBJECTS).join(', ')}`);

const mb = (bytes: number) => bytes / 2 ** 20;
const highWaterMb = (): number | undefined => {
  const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'));
  return match ? Number(match[1]) / 1024 : undefined;
};

const { source, target } = planInputs(Number(sizeArg));
globalThis.gc?.();
const inputsMb = mb(process.memoryUsage().rss);
let resettable = true;
try {
  // Linux: writing 5 to clear_refs resets VmHWM to the current RSS.
  writeFileSync('/proc/self/clear_refs', '5');
} catch {
  resettable = false;
}
run(source, target);
const peakMb = (resettable ? highWaterMb() : undefined) ?? process.resourceUsage().maxRSS / 1024;
process.stdout.write(JSON.stringify({ inputsMb, peakMb, resettable }));

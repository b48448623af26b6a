/** `pnpm start`: prints a plan preview for generated employees (`--count N`, `--seed N`). */
import { parseArgs } from 'node:util';
import { renderPlanDemo } from './demo.ts';

const { values } = parseArgs({
  options: { count: { type: 'string', default: '40' }, seed: { type: 'string', default: '2026' } },
});
const count = Number(values.count);
const seed = Number(values.seed);
if (!Number.isInteger(count) || count < 1 || !Number.isInteger(seed)) {
  process.stderr.write('使い方: plan-demo [--count 人数] [--seed 整数]\n');
  process.exit(2);
}
process.stdout.write(`${renderPlanDemo({ count, seed, color: process.stdout.isTTY === true })}\n`);

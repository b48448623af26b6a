import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, release, totalmem } from 'node:os';

const OUTER_START = '<!-- bench:start -->';
const OUTER_END = '<!-- bench:end -->';

export interface MachineInfo {
  cpu: string;
  cores: number;
  memoryGb: number;
  node: string;
  os: string;
}

export function machineInfo(): MachineInfo {
  return {
    cpu: cpus()[0]?.model.trim() ?? 'unknown',
    cores: cpus().length,
    memoryGb: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    os: `${process.platform} ${release()}`,
  };
}

export function machineLine(machine: MachineInfo = machineInfo()): string {
  return `Machine: ${machine.cpu}, ${machine.cores} cores, ${machine.memoryGb} GB, Node ${machine.node}, ${machine.os}.`;
}

/**
 * Puts one benchmark's results under `key` ('plan', 'sync', 'picker') of `<root>/bench/results.json`,
 * keeping the other benchmarks' keys; `machine` and `generatedAt` describe the latest run.
 */
export function writeResults(root: string, key: string, data: unknown): void {
  const path = `${root}/bench/results.json`;
  mkdirSync(`${root}/bench`, { recursive: true });
  const previous = existsSync(path)
    ? (JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>)
    : {};
  const results = { ...previous, generatedAt: new Date().toISOString(), machine: machineInfo(), [key]: data };
  writeFileSync(path, `${JSON.stringify(results, null, 2)}\n`);
}

/**
 * Replaces one benchmark's block (`<!-- bench:<name>:start -->` … `<!-- bench:<name>:end -->`) inside
 * the README's Performance block (`<!-- bench:start -->` … `<!-- bench:end -->`), creating either
 * where missing. Nothing else in the README is touched.
 */
export function writeReadmeSection(readmePath: string, name: string, markdown: string): void {
  const start = `<!-- bench:${name}:start -->`;
  const end = `<!-- bench:${name}:end -->`;
  const block = `${start}\n${markdown.trim()}\n${end}`;
  let readme = readFileSync(readmePath, 'utf8');
  if (!readme.includes(OUTER_START) || !readme.includes(OUTER_END)) {
    const outer = `${OUTER_START}\n${OUTER_END}`;
    readme = /^## Performance\s*$/m.test(readme)
      ? readme.replace(/^## Performance\s*$/m, `## Performance\n\n${outer}\n`)
      : `${readme.trimEnd()}\n\n## Performance\n\n${outer}\n`;
  }
  const from = readme.indexOf(start);
  const to = readme.indexOf(end);
  if (from >= 0 && to > from) {
    readme = readme.slice(0, from) + block + readme.slice(to + end.length);
  } else {
    const outerStart = readme.indexOf(OUTER_START) + OUTER_START.length;
    const outerEnd = readme.indexOf(OUTER_END);
    // The placeholder text between empty outer markers goes once a real section arrives.
    const inner = readme.slice(outerStart, outerEnd).trim();
    const kept = inner.includes('<!-- bench:') ? `${inner}\n\n` : '';
    readme = `${readme.slice(0, outerStart)}\n${kept}${block}\n${readme.slice(outerEnd)}`;
  }
  writeFileSync(readmePath, readme);
}

export const formatMs = (ms: number) =>
  ms >= 100 ? ms.toFixed(0) : ms >= 10 ? ms.toFixed(1) : ms.toFixed(2);
export const formatMb = (mb: number) => mb.toFixed(0);
export const formatRatio = (ratio: number) => `${ratio >= 10 ? ratio.toFixed(0) : ratio.toFixed(1)}×`;

export function markdownTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const line = (cells: readonly string[]) => `| ${cells.join(' | ')} |`;
  return [line(header), line(header.map((_, i) => (i === 0 ? '---' : '---:'))), ...rows.map(line)].join('\n');
}

import { readFileSync, writeFileSync } from 'node:fs';

const START = '<!-- bench:start -->';
const END = '<!-- bench:end -->';

/** Replaces what lies between the bench markers of a README's "## Performance" section. */
export function writeReadmeSection(readmePath: string, markdown: string): void {
  const readme = readFileSync(readmePath, 'utf8');
  const block = `${START}\n${markdown.trim()}\n${END}`;
  const start = readme.indexOf(START);
  const end = readme.indexOf(END);
  let updated: string;
  if (start >= 0 && end > start) {
    updated = readme.slice(0, start) + block + readme.slice(end + END.length);
  } else if (/^## Performance\s*$/m.test(readme)) {
    updated = readme.replace(/^## Performance\s*$/m, `## Performance\n\n${block}\n`);
  } else {
    updated = `${readme.trimEnd()}\n\n## Performance\n\n${block}\n`;
  }
  writeFileSync(readmePath, updated);
}

export const formatMs = (ms: number) =>
  ms >= 100 ? ms.toFixed(0) : ms >= 10 ? ms.toFixed(1) : ms.toFixed(2);
export const formatMb = (mb: number) => mb.toFixed(0);
export const formatRatio = (ratio: number) => `${ratio >= 10 ? ratio.toFixed(0) : ratio.toFixed(1)}×`;

export function markdownTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const line = (cells: readonly string[]) => `| ${cells.join(' | ')} |`;
  return [line(header), line(header.map((_, i) => (i === 0 ? '---' : '---:'))), ...rows.map(line)].join('\n');
}

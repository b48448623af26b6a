import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { renderPlanDemo } from './demo.ts';

const script = fileURLToPath(new URL('./plan-demo.ts', import.meta.url));
const run = (...args: string[]) => spawnSync(process.execPath, [script, ...args], { encoding: 'utf8' });

describe('plan-demo', () => {
  it('prints the Japanese diff table and ends with the Terraform-style summary', () => {
    const { status, stdout, stderr } = run();
    expect(stderr).toBe('');
    expect(status).toBe(0);
    expect(stdout).toContain('連携プレビュー: 外部システム → 社員名簿（40名、シード 2026）');
    for (const badge of ['[新規登録]', '[差分あり]', '[差分なし]']) expect(stdout).toContain(badge);
    expect(stdout).toMatch(/ → /);
    const summary = /Plan: (\d+) to add, (\d+) to change, (\d+) unchanged\.\n$/.exec(stdout);
    expect(summary).not.toBeNull();
    const [added, changed, unchanged] = (summary as RegExpExecArray).slice(1).map(Number) as [
      number,
      number,
      number,
    ];
    expect(added).toBeGreaterThan(0);
    expect(changed).toBeGreaterThan(0);
    expect(added + changed + unchanged).toBe(40 + added);
    expect(stdout.match(/\[新規登録\]/g)).toHaveLength(added);
    expect(stdout.match(/\[差分あり\]/g)).toHaveLength(changed);
  });

  it('prints no colour codes when stdout is not a terminal, and the same text every time', () => {
    const first = run('--count', '25', '--seed', '7');
    expect(first.stdout).not.toContain('\x1b[');
    expect(run('--count', '25', '--seed', '7').stdout).toBe(first.stdout);
    expect(run('--count', '25', '--seed', '8').stdout).not.toBe(first.stdout);
  });

  it('colours old values red struck-through and new ones green when asked', () => {
    const text = renderPlanDemo({ color: true });
    expect(text).toContain('\x1b[9;31m');
    expect(text).toContain('\x1b[32m');
  });

  it('refuses a count that is not a positive integer, in Japanese', () => {
    const { status, stderr, stdout } = run('--count', 'many');
    expect(status).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toContain('使い方');
  });
});

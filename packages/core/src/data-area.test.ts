import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { DataArea } from './connector.ts';
import { dataAreaChoices, defaultDataArea, fiscalYearLabel } from './data-area.ts';
import { tokyoDate } from './time/tokyo-date.ts';

const year = (id: string, y: number, group = 'A'): DataArea => ({
  id,
  name: `${y}年度`,
  group,
  period: { start: `${y}-01-01`, end: `${y}-12-31` },
});
const y2025 = year('P0001', 2025);
const y2026 = year('P0002', 2026);
const y2027 = year('P0003', 2027);

describe('defaultDataArea', () => {
  it('preselects the year containing today, even when the configured area is last year', () => {
    expect(defaultDataArea([y2025, y2026], { today: '2026-12-06', preferred: 'P0001' })).toBe('P0002');
  });

  it('prefers the current year over a next year created early by 年次更新', () => {
    expect(defaultDataArea([y2027, y2025, y2026], { today: '2026-12-31' })).toBe('P0002');
  });

  it('falls back to the latest year when no period contains today', () => {
    expect(defaultDataArea([y2025, y2026], { today: '2028-02-01' })).toBe('P0002');
  });

  it("stays within the preferred area's company", () => {
    const other = year('Q0001', 2026, 'B');
    expect(defaultDataArea([other, y2025, y2026], { today: '2026-06-01', preferred: 'P0001' })).toBe('P0002');
    expect(defaultDataArea([y2026, other], { today: '2026-06-01', preferred: 'Q0001' })).toBe('Q0001');
  });

  it('chooses nothing when several companies are current and none is preferred', () => {
    expect(defaultDataArea([y2026, year('Q0001', 2026, 'B')], { today: '2026-06-01' })).toBeUndefined();
  });

  it('without periods: the preferred area, else the only one, else nothing', () => {
    const bare = [
      { id: 'a', name: 'a' },
      { id: 'b', name: 'b' },
    ];
    expect(defaultDataArea(bare, { today: '2026-06-01', preferred: 'b' })).toBe('b');
    expect(defaultDataArea(bare, { today: '2026-06-01' })).toBeUndefined();
    expect(defaultDataArea([{ id: 'a', name: 'a' }], { today: '2026-06-01' })).toBe('a');
  });

  it('does not depend on the order the vendor lists areas in (property)', () => {
    fc.assert(
      fc.property(
        fc.shuffledSubarray([y2025, y2026, y2027], { minLength: 1 }),
        fc.constantFrom('2025-03-01', '2026-12-31', '2027-01-01', '2030-01-01'),
        (areas, today) => {
          const expected = defaultDataArea(
            [...areas].sort((a, b) => a.id.localeCompare(b.id)),
            { today },
          );
          expect(defaultDataArea(areas, { today })).toBe(expected);
          // The preselected year is never one marked 前年度以前.
          const chosen = dataAreaChoices(areas, today).find((choice) => choice.area.id === expected);
          expect(chosen?.older).toBe(false);
        },
      ),
    );
  });
});

describe('dataAreaChoices', () => {
  it('marks the years before the newest begun one of its company 前年度以前, newest first', () => {
    const other = year('Q0001', 2025, 'B');
    const choices = dataAreaChoices([y2025, other, y2027, y2026], '2026-12-06');
    expect(choices.map((choice) => [choice.area.id, choice.older])).toEqual([
      ['P0003', false],
      ['P0002', false],
      ['P0001', true],
      ['Q0001', false],
    ]);
  });
});

describe('labels and dates', () => {
  it('names an area by its 処理年度', () => {
    expect(fiscalYearLabel({ start: '2026-01-01', end: '2026-12-31' })).toBe('2026年度（2026/01〜12）');
    expect(fiscalYearLabel({ start: '2026-04-01', end: '2027-03-31' })).toBe('2026年度（2026/04〜2027/03）');
  });

  it('reckons today in Asia/Tokyo (Dec 31 15:00 UTC is Jan 1 in Tokyo)', () => {
    expect(tokyoDate(Date.UTC(2026, 11, 31, 14, 59))).toBe('2026-12-31');
    expect(tokyoDate(Date.UTC(2026, 11, 31, 15, 0))).toBe('2027-01-01');
  });
});

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatDateJa, normaliseDate } from './date.ts';

const accepted = (value: unknown) => {
  const result = normaliseDate(value);
  return result.ok ? result.value : `error: ${result.message}`;
};

describe('normaliseDate', () => {
  it.each([
    ['1990-04-01', '1990-04-01'],
    ['1990/4/1', '1990-04-01'],
    ['1990.04.01', '1990-04-01'],
    ['19900401', '1990-04-01'],
    [19900401, '1990-04-01'],
    ['１９９０年４月１日', '1990-04-01'],
    ['令和5年4月1日', '2023-04-01'],
    ['平成2年4月1日', '1990-04-01'],
    ['昭和64年1月7日', '1989-01-07'],
    ['平成元年1月8日', '1989-01-08'],
    ['令和元年5月1日', '2019-05-01'],
    ['R5.4.1', '2023-04-01'],
    ['r05.04.01', '2023-04-01'],
    ['H2.4.1', '1990-04-01'],
    ['S64.1.7', '1989-01-07'],
    ['T15.12.24', '1926-12-24'],
    ['㍻2年4月1日', '1990-04-01'],
    [' 2000/2/29 ', '2000-02-29'],
  ])('reads %s as %s', (input, iso) => {
    expect(accepted(input)).toBe(iso);
  });

  it.each([
    ['2023年2月30日', '「2023年2月30日」は存在しない日付です'],
    ['2023-02-29', '「2023-02-29」は存在しない日付です'],
    ['1900/2/29', '「1900/2/29」は存在しない日付です'],
    ['2023/13/1', '「2023/13/1」は存在しない日付です'],
    ['平成32年4月1日', '「平成32年4月1日」は存在しない日付です（平成は1989年1月8日から2019年4月30日まで）'],
    ['昭和64年1月8日', '「昭和64年1月8日」は存在しない日付です（昭和は1926年12月25日から1989年1月7日まで）'],
    ['令和元年4月30日', '「令和元年4月30日」は存在しない日付です（令和は2019年5月1日から）'],
    ['H31.5.1', '「H31.5.1」は存在しない日付です（平成は1989年1月8日から2019年4月30日まで）'],
    ['平成0年1月1日', '「平成0年1月1日」は存在しない日付です'],
  ])('refuses the impossible date %s', (input, message) => {
    expect(normaliseDate(input)).toEqual({ ok: false, message });
  });

  it.each(['4月1日', '90/4/1', '1990-4', 'tomorrow', '1990/4-1', 'X5.4.1'])(
    'refuses the unreadable %s',
    (input) => {
      const result = normaliseDate(input);
      expect(result.ok).toBe(false);
      if (!result.ok) expect(result.message).toContain('日付として読み取れません');
    },
  );

  it('refuses numbers that are not YYYYMMDD and non-text values', () => {
    for (const value of [0, 1990, 19900401.5, 199004011, true, { year: 1990 }])
      expect(normaliseDate(value).ok).toBe(false);
  });

  it('reads blank as empty', () => {
    expect(normaliseDate('　')).toEqual({ ok: true, value: undefined });
    expect(normaliseDate(null)).toEqual({ ok: true, value: undefined });
  });

  const isoDates = fc
    .date({
      min: new Date('1927-01-01T00:00:00Z'),
      max: new Date('2099-12-31T00:00:00Z'),
      noInvalidDate: true,
    })
    .map((date) => date.toISOString().slice(0, 10));
  const wareki = new Intl.DateTimeFormat('ja-JP-u-ca-japanese', {
    era: 'long',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    timeZone: 'UTC',
  });

  it('reads every notation of a date as the same ISO date, and is idempotent', () => {
    fc.assert(
      fc.property(isoDates, (iso) => {
        const [y, m, d] = iso.split('-');
        const parts = Object.fromEntries(
          wareki.formatToParts(new Date(`${iso}T00:00:00Z`)).map((p) => [p.type, p.value]),
        );
        const variants = [
          iso,
          `${y}/${Number(m)}/${Number(d)}`,
          `${y}${m}${d}`,
          Number(`${y}${m}${d}`),
          `${Number(y)}年${Number(m)}月${Number(d)}日`,
          `${parts.era}${parts.year}年${parts.month}月${parts.day}日`,
        ];
        for (const variant of variants) expect(accepted(variant)).toBe(iso);
        expect(accepted(accepted(iso))).toBe(iso);
      }),
    );
  });

  it('is idempotent on any text', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.stringMatching(/^[RHS]\d{1,2}\.\d{1,2}\.\d{1,2}$/)), (text) => {
        const once = normaliseDate(text);
        if (once.ok && once.value !== undefined) expect(normaliseDate(once.value)).toEqual(once);
      }),
    );
  });

  it('formats ISO dates in Japanese', () => {
    expect(formatDateJa('1990-04-01')).toBe('1990年4月1日');
  });
});

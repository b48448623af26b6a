import type { DataArea } from './connector.ts';

/** An area as the wizard offers it: whether a later year of its company has begun. */
export interface DataAreaChoice {
  area: DataArea;
  /**
   * 前年度以前: its company has an area of a later 処理年度 that has begun by today. Such an area
   * stays editable at the vendor, but is never preselected: writing there is a deliberate choice.
   * (A next year 年次更新 created early, not begun yet, makes no area older.)
   */
  older: boolean;
}

/**
 * The areas with their standing, in a stable order that does not depend on how the vendor listed
 * them (PCA's FindDataArea order is not documented): by company, newest 処理年度 first, then by id.
 */
export function dataAreaChoices(areas: readonly DataArea[], today: string): DataAreaChoice[] {
  const begun = new Map<string, string>();
  for (const area of areas) {
    if (!area.period || area.period.start > today) continue;
    const group = area.group ?? '';
    const seen = begun.get(group);
    if (seen === undefined || area.period.start > seen) begun.set(group, area.period.start);
  }
  return [...areas]
    .sort(
      (a, b) =>
        compare(a.group ?? '', b.group ?? '') ||
        compare(b.period?.start ?? '', a.period?.start ?? '') ||
        compare(a.id, b.id),
    )
    .map((area) => {
      const latest = begun.get(area.group ?? '');
      return { area, older: area.period !== undefined && latest !== undefined && area.period.start < latest };
    });
}

const compare = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/**
 * The area the wizard preselects: the newest 処理年度 — the one whose period contains `today`, else
 * the latest — among the areas of the connection's `preferred` area's company (年次更新 leaves the
 * configured area behind in last year), or among all areas when none is preferred. An older year is
 * never preselected. Undefined when nothing can be chosen safely (no periods known and no preferred
 * area, or several companies and none preferred): the admin then picks.
 */
export function defaultDataArea(
  areas: readonly DataArea[],
  options: { today: string; preferred?: string | null | undefined },
): string | undefined {
  const preferred = areas.find((area) => area.id === options.preferred);
  const candidates = preferred
    ? areas.filter((area) => (area.group ?? '') === (preferred.group ?? ''))
    : areas;
  const dated = candidates.filter((area) => area.period !== undefined);
  if (dated.length === 0) return preferred?.id ?? (areas.length === 1 ? areas[0]?.id : undefined);
  const groups = new Set(dated.map((area) => area.group ?? ''));
  if (groups.size > 1) return undefined;
  const { today } = options;
  const current = dated.filter(
    (area) => area.period && area.period.start <= today && today <= area.period.end,
  );
  const pool = current.length > 0 ? current : dated;
  return pool.reduce((best, area) =>
    (area.period?.start ?? '') > (best.period?.start ?? '') ||
    ((area.period?.start ?? '') === (best.period?.start ?? '') && area.id < best.id)
      ? area
      : best,
  ).id;
}

/**
 * 「2026年度（2026/01〜12）」: an area named by its 処理年度 (the year its period starts in), with
 * the period; 「2026年度（2026/04〜2027/03）」 when it spans two calendar years.
 */
export function fiscalYearLabel(period: { start: string; end: string }): string {
  const [startYear, startMonth] = period.start.split('-');
  const [endYear, endMonth] = period.end.split('-');
  const end = endYear === startYear ? endMonth : `${endYear}/${endMonth}`;
  return `${startYear}年度（${startYear}/${startMonth}〜${end}）`;
}

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ConnectorFields } from '../connector.ts';
import { type Employee, FIELD_KEYS, type FieldKey, type ListedEmployee } from '../employee.ts';
import { createPlanner, type PlanOptions, plan } from './plan.ts';
import { type SyncMode, SyncMode as SyncModeSchema } from './types.ts';

const ALL: ConnectorFields = Object.fromEntries(FIELD_KEYS.map((key) => [key, 'readWrite']));

// Codes that collide in every way plan cares about: NFKC (Ｅ１ = E1), a codeKey that drops leading
// zeros (00123 = 123), and padding lookalikes without a codeKey (0123 vs 123 → 重複 instead of 新規).
const CODES = ['E1', 'Ｅ１', 'E2', 'E10', '123', '0123', '00123', '45'];
const pick = <T>(...values: T[]) => fc.option(fc.constantFrom(...values), { nil: undefined });
// Names and birth dates from small pools, so one 社員番号 often holds another person (別人の可能性).
const employeeArb = fc.record(
  {
    employeeCode: fc.constantFrom(...CODES),
    lastName: pick('山田', '佐藤', ' 山田　'),
    firstName: pick('太郎', '花子'),
    lastNameKana: pick('ヤマダ', 'ｻﾄｳ', 'やまだ'),
    birthDate: pick('1990-04-01', '19900401', '1985-12-31'),
    gender: pick('male', '女性'),
    phone: pick('03-1234-5678', '0312345678'),
    department: pick({ code: 'D1', name: '営業部' }, { code: '120', name: '営業部' }, { name: '総務部' }),
    jobTitle: pick({ code: 'J1' }, { name: '部長' }),
    address: pick({ postalCode: '1500001', prefecture: '東京都', city: '渋谷区' }),
  },
  { requiredKeys: ['employeeCode'] },
) as fc.Arbitrary<Employee>;

const recordArb: fc.Arbitrary<ListedEmployee> = fc.oneof(
  { weight: 6, arbitrary: employeeArb.map((employee) => ({ ok: true as const, employee })) },
  {
    weight: 1,
    arbitrary: employeeArb.map((employee) => ({
      ok: true as const,
      employee: { ...employee, birthDate: '2023-02-30' },
    })),
  },
  {
    weight: 1,
    arbitrary: fc.option(fc.constantFrom(...CODES), { nil: undefined }).map(
      (employeeCode): ListedEmployee => ({
        ok: false,
        ...(employeeCode === undefined ? {} : { employeeCode }),
        issues: [{ field: 'birthDate', message: '生年月日: 「x」は日付として読み取れません' }],
      }),
    ),
  },
);

const optionsArb: fc.Arbitrary<PlanOptions> = fc.record(
  {
    modes: fc.dictionary(
      fc.constantFrom(...FIELD_KEYS),
      fc.constantFrom(...SyncModeSchema.options),
    ) as fc.Arbitrary<Partial<Record<FieldKey, SyncMode>>>,
    orgRefMatch: fc.constantFrom('code' as const, 'name' as const),
    codeKey: fc.constantFrom((code: string) => code.replace(/^0+(?=\d)/, '')),
    fields: fc.subarray([...FIELD_KEYS]),
  },
  { requiredKeys: [] },
);

/** The two sides merged in an order the booleans choose (true: the next source record). */
function interleave(
  sources: readonly ListedEmployee[],
  targets: readonly ListedEmployee[],
  turns: readonly boolean[],
): { side: 'source' | 'target'; record: ListedEmployee }[] {
  const merged: { side: 'source' | 'target'; record: ListedEmployee }[] = [];
  let s = 0;
  let t = 0;
  for (let turn = 0; s < sources.length || t < targets.length; turn++) {
    const takeSource =
      t >= targets.length || (s < sources.length && (turns[turn % (turns.length || 1)] ?? true));
    if (takeSource) merged.push({ side: 'source', record: sources[s++] as ListedEmployee });
    else merged.push({ side: 'target', record: targets[t++] as ListedEmployee });
  }
  return merged;
}

describe('createPlanner', () => {
  it('gives plan()’s result for any interleaving of the two sides (duplicates, padding, codeKey, modes, orgRefMatch, identity)', () => {
    fc.assert(
      fc.property(
        fc.array(recordArb, { maxLength: 10 }),
        fc.array(recordArb, { maxLength: 10 }),
        fc.array(fc.boolean(), { maxLength: 20 }),
        optionsArb,
        (sources, targets, turns, options) => {
          const expected = plan(
            { fields: ALL, records: sources },
            { fields: ALL, records: targets },
            options,
          );
          const planner = createPlanner(ALL, ALL, options);
          for (const { side, record } of interleave(sources, targets, turns)) {
            if (side === 'source') planner.addSource(record);
            else planner.addTarget(record);
          }
          expect(planner.finish()).toEqual(expected);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('turns a diffed pair into 重複 when a duplicate arrives after it', () => {
    const yamada: Employee = {
      employeeCode: 'E1',
      lastName: '山田',
      firstName: '太郎',
      birthDate: '1990-04-01',
    };
    const planner = createPlanner(ALL, ALL);
    planner.addTarget({ ok: true, employee: yamada });
    planner.addSource({ ok: true, employee: { ...yamada, lastName: '佐藤' } });
    planner.addTarget({ ok: true, employee: { ...yamada, employeeCode: 'Ｅ１' } });
    const result = planner.finish();
    expect(result.entries).toHaveLength(1);
    expect(result.entries[0]).toMatchObject({ employeeCode: 'E1', status: 'conflict', changes: [] });
    expect(result.summary).toMatchObject({ conflict: 1, changed: 0 });
  });

  it('refuses a second finish()', () => {
    const planner = createPlanner(ALL, ALL);
    planner.finish();
    expect(() => planner.finish()).toThrow(/twice/);
  });
});

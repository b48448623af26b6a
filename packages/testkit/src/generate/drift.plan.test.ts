import { type ConnectorFields, type Employee, FIELD_KEYS, type ListedEmployee, plan } from '@renkei/core';
import { describe, expect, it } from 'vitest';
import { drift } from './drift.ts';
import { generateEmployees } from './employees.ts';

const EVERY_FIELD: ConnectorFields = Object.fromEntries(FIELD_KEYS.map((key) => [key, 'readWrite']));
const listed = (employees: readonly Employee[]): ListedEmployee[] =>
  employees.map((employee) => ({ ok: true, employee }));

describe('drift against plan()', () => {
  const original = generateEmployees({ count: 1500, seed: 21 });
  const drifted = drift(original, { seed: 22, changed: 0.05, added: 0.01, cosmetic: 0.3 });
  const result = plan(
    { fields: EVERY_FIELD, records: listed(drifted.employees) },
    { fields: EVERY_FIELD, records: listed(original) },
  );
  const byStatus = (status: string) =>
    result.entries.filter((entry) => entry.status === status).map((entry) => entry.employeeCode);

  it('shows 差分あり for exactly the meaningfully changed codes, with exactly their fields', () => {
    expect(new Set(byStatus('changed'))).toEqual(new Set(drifted.changed));
    for (const entry of result.entries.filter((e) => e.status === 'changed')) {
      expect(new Set(entry.changes.map((change) => change.field))).toEqual(
        new Set(drifted.changedFields[entry.employeeCode]),
      );
    }
  });

  it('shows 新規登録 for exactly the new hires, and 差分なし for every notation-only record', () => {
    expect(byStatus('new')).toEqual(drifted.added);
    const cosmeticOnly = drifted.cosmetic.filter((code) => !drifted.changed.includes(code));
    expect(cosmeticOnly.length).toBeGreaterThan(300);
    const unchanged = new Set(byStatus('unchanged'));
    expect(cosmeticOnly.every((code) => unchanged.has(code))).toBe(true);
    expect(result.summary).toMatchObject({ invalid: 0, conflict: 0, targetOnly: 0 });
  });
});

// Golden outputs: the plan table a person reads, and the JSON Schemas scripts rely on. A change to
// either is deliberate: update the golden file in the same commit (UPDATE_GOLDEN=1 rewrites them).
import { readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { PlanDocument } from '../automation/schemas.ts';
import { SCHEMAS, schemaCommand } from './automation.ts';
import { formatPlan, table } from './format.ts';

const golden = (name: string, actual: string) => {
  const file = new URL(`./golden/${name}`, import.meta.url);
  if (process.env.UPDATE_GOLDEN === '1') writeFileSync(file, actual);
  const expected = readFileSync(file, 'utf8');
  // JSON is compared as data: the formatter may lay the file out its own way.
  if (name.endsWith('.json')) expect(JSON.parse(actual)).toEqual(JSON.parse(expected));
  else expect(actual).toBe(expected);
};

const plan: PlanDocument = {
  kind: 'renkei.plan',
  version: 1,
  preview: {
    id: '11111111-1111-4111-8111-111111111111',
    connectionId: '22222222-2222-4222-8222-222222222222',
    direction: 'export',
    dataArea: 'A1',
    dataAreaName: null,
    summary: {
      new: 1,
      changed: 1,
      unchanged: 1,
      invalid: 1,
      conflict: 0,
      identity_mismatch: 1,
      targetOnly: 0,
    },
    employmentFilter: { basisDate: '2026-04-01', excluded: 2 },
    createdAt: '2026-04-01T00:00:00.000Z',
  },
  connection: {
    id: '22222222-2222-4222-8222-222222222222',
    displayName: 'ジョブカン',
    connectorId: 'jobcan',
  },
  hasChanges: true,
  entries: [
    {
      employeeCode: 'E001',
      status: 'new',
      name: '山田 太郎',
      changes: [{ field: 'lastName', before: null, after: '山田' }],
      issues: [],
      fingerprint: null,
      selectable: true,
    },
    {
      employeeCode: 'E002',
      status: 'changed',
      name: '佐藤 花子',
      changes: [
        {
          field: 'department',
          before: { code: 'D1', name: '営業部' },
          after: { code: 'D2', name: '開発部' },
        },
        { field: 'email', before: 'old@example.jp', after: 'new@example.jp' },
      ],
      issues: [],
      fingerprint: 'f',
      selectable: true,
    },
    {
      employeeCode: 'E003',
      status: 'unchanged',
      changes: [],
      issues: [],
      fingerprint: 'f',
      selectable: true,
    },
    {
      employeeCode: 'E004',
      status: 'invalid',
      changes: [],
      issues: [{ field: 'birthDate', message: '生年月日: 日付として読み取れません' }],
      fingerprint: null,
      selectable: false,
    },
    {
      employeeCode: 'E005',
      status: 'identity_mismatch',
      name: '岩崎 彩',
      changes: [{ field: 'firstName', before: '良太', after: '彩' }],
      issues: [],
      fingerprint: 'f',
      selectable: true,
      identity: { source: { name: '岩崎 彩' }, target: { name: '奥村 良太' } },
    },
  ],
};

describe('renkei plan output', () => {
  it('prints the Japanese diff table (golden)', () => {
    golden('plan.txt', `${formatPlan(plan)}\n`);
  });

  it('lines up columns holding full-width text', () => {
    const lines = table(
      ['状態', 'code'],
      [
        ['差分あり', 'x'],
        ['new', 'y'],
      ],
    ).split('\n');
    expect(lines).toEqual(['状態      code', '差分あり  x', 'new       y']);
  });
});

describe('renkei schema', () => {
  for (const name of Object.keys(SCHEMAS)) {
    it(`keeps the JSON Schema of ${name} stable (golden)`, () => {
      const out: string[] = [];
      schemaCommand(name, { out: (text) => out.push(text), err: () => {} });
      golden(`${name}.schema.json`, `${out.join('')}\n`);
    });
  }
});

import { describe, expect, it } from 'vitest';
import type { ConnectorFields } from '../connector.ts';
import type { Employee, ListedEmployee } from '../employee.ts';
import { plan } from '../plan/index.ts';
import { plannedWrites } from './planned-writes.ts';

const listed = (employees: Employee[]): ListedEmployee[] =>
  employees.map((employee) => ({ ok: true, employee }));
const SOURCE: ConnectorFields = { lastName: 'read', firstName: 'read', email: 'read' };

describe('plannedWrites', () => {
  const target: ConnectorFields = { lastName: 'readWrite', firstName: 'readWrite', email: 'readWrite' };
  const preview = plan(
    {
      fields: SOURCE,
      records: [
        ...listed([
          { employeeCode: 'E1', lastName: '山田', firstName: '花子', email: 'hanako@example.jp' },
          { employeeCode: 'E2', lastName: '佐藤', firstName: '次郎' },
          { employeeCode: 'E3', lastName: '鈴木' },
          { employeeCode: 'E4', lastName: '田中' },
          { employeeCode: 'E4', lastName: '田中' },
        ]),
        { ok: false, employeeCode: 'E5', issues: [{ field: 'record', message: '読めません' }] },
      ],
    },
    {
      fields: target,
      records: listed([
        { employeeCode: 'E2', lastName: '佐藤', firstName: '一郎', email: 'jiro@example.jp' },
        { employeeCode: 'E3', lastName: '鈴木' },
      ]),
    },
  );

  it('creates every value of a new entry and updates only the changed fields, skipping the rest', () => {
    expect(preview.entries.map((entry) => entry.status)).toEqual([
      'new',
      'changed',
      'unchanged',
      'conflict',
      'invalid',
    ]);
    expect(plannedWrites(preview, target)).toEqual([
      {
        op: 'create',
        employeeCode: 'E1',
        values: { employeeCode: 'E1', lastName: '山田', firstName: '花子', email: 'hanako@example.jp' },
      },
      { op: 'update', employeeCode: 'E2', changes: { firstName: '次郎' } },
    ]);
  });

  it('sends only what the target writes; an entry with nothing it can write sends nothing', () => {
    const emailOnly: ConnectorFields = { lastName: 'read', firstName: 'read', email: 'readWrite' };
    expect(plannedWrites(preview, emailOnly)).toEqual([
      { op: 'create', employeeCode: 'E1', values: { employeeCode: 'E1', email: 'hanako@example.jp' } },
    ]);
  });

  it('clears under mirror with null, as apply does', () => {
    const mirrored = plan(
      { fields: SOURCE, records: listed([{ employeeCode: 'E2', lastName: '佐藤', firstName: '次郎' }]) },
      {
        fields: target,
        records: listed([{ employeeCode: 'E2', lastName: '佐藤', firstName: '次郎', email: 'j@example.jp' }]),
      },
      { modes: { email: 'mirror' } },
    );
    expect(plannedWrites(mirrored, target)).toEqual([
      { op: 'update', employeeCode: 'E2', changes: { email: null } },
    ]);
  });
});

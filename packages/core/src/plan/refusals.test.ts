import { describe, expect, it } from 'vitest';
import { plannedWrites } from '../apply/index.ts';
import type { ConnectorFields, WriteCheck } from '../connector.ts';
import type { Employee, ListedEmployee } from '../employee.ts';
import { plan } from './plan.ts';
import { withRefusals } from './refusals.ts';
import { summaryLineJa } from './summary.ts';
import { Plan } from './types.ts';

const FIELDS: ConnectorFields = { lastName: 'readWrite', firstName: 'readWrite', gender: 'readWrite' };
const listed = (employees: Employee[]): ListedEmployee[] =>
  employees.map((employee) => ({ ok: true, employee }));

/** 001 new, 002 changed, 003 unchanged, 004 invalid in the source, 005 only in the target. */
function preview(options: Parameters<typeof plan>[2] = {}): Plan {
  return plan(
    {
      fields: FIELDS,
      records: [
        ...listed([
          { employeeCode: '001', lastName: '山田', firstName: '花子', gender: 'unspecified' },
          { employeeCode: '002', lastName: '佐藤', firstName: '次郎', gender: 'unspecified' },
          { employeeCode: '003', lastName: '鈴木', firstName: '三郎' },
        ]),
        {
          ok: false,
          employeeCode: '004',
          issues: [{ field: 'birthDate', message: '生年月日: 日付が正しくありません' }],
        },
      ],
    },
    {
      fields: FIELDS,
      records: listed([
        { employeeCode: '002', lastName: '佐藤', firstName: '次郎', gender: 'male' },
        { employeeCode: '003', lastName: '鈴木', firstName: '三郎' },
        { employeeCode: '005', lastName: '高橋', firstName: '四郎' },
      ]),
    },
    options,
  );
}

const refuseGender = (employeeCode: string): WriteCheck => ({
  employeeCode,
  issues: [{ field: 'gender', message: '性別は「男性」か「女性」のみ登録できます。', value: 'unspecified' }],
});

describe('withRefusals', () => {
  it('turns each refused new or changed entry invalid and unselectable, prefixing the target’s rule', () => {
    const before = preview();
    const after = withRefusals(before, [refuseGender('001'), refuseGender('002')]);
    const byCode = new Map(after.entries.map((entry) => [entry.employeeCode, entry]));
    for (const code of ['001', '002']) {
      const entry = byCode.get(code);
      expect(entry?.status).toBe('invalid');
      expect(entry?.selectable).toBe(false);
      expect(entry?.issues).toEqual([
        {
          field: 'gender',
          message: '連携先に書き込めません: 性別は「男性」か「女性」のみ登録できます。',
          value: 'unspecified',
        },
      ]);
      // What would have been written stays visible.
      expect(entry?.changes).toEqual(before.entries.find((e) => e.employeeCode === code)?.changes);
    }
    expect(byCode.get('003')).toEqual(before.entries.find((entry) => entry.employeeCode === '003'));
    expect(after.summary).toEqual({
      new: 0,
      changed: 0,
      unchanged: 1,
      invalid: 3,
      conflict: 0,
      identity_mismatch: 0,
      targetOnly: 1,
    });
    expect(summaryLineJa(after)).toBe(
      '新規登録 0件、差分あり 0件、差分なし 1件、エラー 3件、連携先のみ 1件（削除しません）',
    );
    expect(Plan.parse(after)).toEqual(after);
  });

  it('names the target when told, and words a whole-record issue without a field label', () => {
    const after = withRefusals(
      preview(),
      [{ employeeCode: '001', issues: [{ field: 'record', message: '登録できない社員です。' }] }],
      { targetName: 'PCAクラウド給与' },
    );
    expect(after.entries[0]?.issues.map((issue) => issue.message)).toEqual([
      'PCAクラウド給与に書き込めません: 登録できない社員です。',
    ]);
    expect(after.summary.new).toBe(0);
    expect(after.summary.changed).toBe(1);
  });

  it('leaves unchanged, already invalid and unknown codes alone, and does not touch the input plan', () => {
    const before = preview();
    const copy = structuredClone(before);
    const after = withRefusals(before, [refuseGender('003'), refuseGender('004'), refuseGender('999')]);
    expect(after.entries).toEqual(before.entries);
    expect(after.summary).toEqual(before.summary);
    expect(before).toEqual(copy);
    expect(withRefusals(before, [])).toBe(before);
  });

  it('matches an update on the target’s spelling of the 社員番号 (as plannedWrites sends it)', () => {
    const padded = plan(
      { fields: FIELDS, records: listed([{ employeeCode: '2', lastName: '佐藤', gender: 'unspecified' }]) },
      { fields: FIELDS, records: listed([{ employeeCode: '002', lastName: '佐藤', gender: 'male' }]) },
      { codeKey: (code) => code.padStart(3, '0') },
    );
    const writes = plannedWrites(padded, FIELDS);
    expect(writes.map((write) => write.employeeCode)).toEqual(['002']);
    const after = withRefusals(padded, [refuseGender('002')]);
    expect(after.entries[0]).toMatchObject({ employeeCode: '2', status: 'invalid', selectable: false });
  });

  it('collects every check of one 社員番号', () => {
    const after = withRefusals(preview(), [
      refuseGender('001'),
      {
        employeeCode: '001',
        issues: [{ field: 'lastName', message: '氏名は30文字以内で入力してください。' }],
      },
    ]);
    expect(after.entries[0]?.issues.map((issue) => issue.field)).toEqual(['gender', 'lastName']);
    // The field's label is added where the message does not name the field itself.
    expect(after.entries[0]?.issues[1]?.message).toBe(
      '連携先に書き込めません: 姓: 氏名は30文字以内で入力してください。',
    );
  });
});

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ConnectorFields } from '../connector.ts';
import { type Employee, FIELD_KEYS, type FieldKey, type ListedEmployee } from '../employee.ts';
import { FIELD_CATALOG, normaliseField } from '../fields.ts';
import { fingerprintEmployee } from './fingerprint.ts';
import { type PlanSide, plan } from './plan.ts';
import { Plan, type PlanEntry, type SyncMode, SyncMode as SyncModeSchema } from './types.ts';

const ALL: ConnectorFields = Object.fromEntries(FIELD_KEYS.map((key) => [key, 'readWrite']));
const listed = (record: Employee | ListedEmployee): ListedEmployee =>
  'ok' in record ? record : { ok: true, employee: record };
const side = (records: (Employee | ListedEmployee)[], fields: ConnectorFields = ALL): PlanSide => ({
  fields,
  records: records.map(listed),
});
const byCode = (entries: PlanEntry[], code: string) => entries.find((entry) => entry.employeeCode === code);

const yamada: Employee = {
  employeeCode: 'E1',
  lastName: '山田',
  firstName: '太郎',
  lastNameKana: 'ヤマダ',
  birthDate: '1990-04-01',
  gender: 'male',
  phone: '03-1234-5678',
  department: { code: 'D1', name: '営業部' },
};

describe('plan — statuses', () => {
  it('marks an employee the target lacks 新規登録, listing every value to write', () => {
    const result = plan(side([yamada]), side([]));
    expect(result.entries).toEqual([
      {
        employeeCode: 'E1',
        status: 'new',
        name: '山田 太郎',
        changes: [
          { field: 'lastName', before: null, after: '山田' },
          { field: 'firstName', before: null, after: '太郎' },
          { field: 'lastNameKana', before: null, after: 'ヤマダ' },
          { field: 'birthDate', before: null, after: '1990-04-01' },
          { field: 'gender', before: null, after: 'male' },
          { field: 'phone', before: null, after: '03-1234-5678' },
          { field: 'department', before: null, after: { code: 'D1', name: '営業部' } },
        ],
        issues: [],
        fingerprint: null,
        selectable: true,
      },
    ]);
    expect(result.summary).toEqual({
      new: 1,
      changed: 0,
      unchanged: 0,
      invalid: 0,
      conflict: 0,
      identity_mismatch: 0,
      targetOnly: 0,
    });
  });

  it('sees no difference in cosmetic variants (widths, spaces, kana script, date notation)', () => {
    const variant: Employee = {
      employeeCode: 'Ｅ１',
      lastName: '\u3000山田 ',
      firstName: '太郎',
      lastNameKana: 'ﾔﾏﾀﾞ',
      birthDate: '平成2年4月1日',
      gender: 'male',
      phone: '０３１２３４５６７８',
      department: { code: 'D1', name: '営業本部' },
    };
    const result = plan(side([variant]), side([yamada]));
    expect(result.entries.map((entry) => [entry.employeeCode, entry.status, entry.changes])).toEqual([
      ['E1', 'unchanged', []],
    ]);
    expect(result.entries[0]?.fingerprint).toBe(fingerprintEmployee(yamada, result.fields));
  });

  it('lists each differing field as 差分あり, before the target value and after the source value', () => {
    const moved = {
      ...yamada,
      lastName: '佐藤',
      birthDate: '1990/4/2',
      department: { code: 'D2', name: '総務部' },
    };
    const [entry] = plan(side([moved]), side([yamada])).entries;
    expect(entry?.status).toBe('changed');
    expect(entry?.changes).toEqual([
      { field: 'lastName', before: '山田', after: '佐藤' },
      { field: 'birthDate', before: '1990-04-01', after: '1990-04-02' },
      { field: 'department', before: { code: 'D1', name: '営業部' }, after: { code: 'D2', name: '総務部' } },
    ]);
    expect(entry?.name).toBe('佐藤 太郎');
    expect(entry?.selectable).toBe(true);
    expect(entry?.fingerprint).toBe(fingerprintEmployee(yamada, ALL_COMPARED));
  });

  it('marks a source record that fails validation エラー, per field, not selectable', () => {
    const broken = { ...yamada, birthDate: '2023年2月30日', email: 'nope' };
    const reported: ListedEmployee = {
      ok: false,
      employeeCode: 'E2',
      issues: [{ field: 'hireDate', message: '入社年月日: 「平成32年4月1日」は存在しない日付です' }],
    };
    const result = plan(side([broken, reported]), side([yamada]));
    expect(byCode(result.entries, 'E1')).toMatchObject({
      status: 'invalid',
      selectable: false,
      changes: [],
      issues: [
        {
          field: 'birthDate',
          message: '生年月日: 「2023年2月30日」は存在しない日付です',
          value: '2023年2月30日',
        },
        {
          field: 'email',
          message: 'メールアドレス: 「nope」はメールアドレスとして読み取れません',
          value: 'nope',
        },
      ],
    });
    expect(byCode(result.entries, 'E2')).toMatchObject({ status: 'invalid', issues: reported.issues });
    expect(result.summary.invalid).toBe(2);
  });

  it('only validates compared fields: an unreadable value the target cannot take does not block', () => {
    const fields: ConnectorFields = { ...ALL, email: 'read' };
    const result = plan(side([{ ...yamada, email: 'nope' }]), side([yamada], fields));
    expect(result.entries[0]?.status).toBe('unchanged');
  });

  it('marks a 社員番号 twice in the source 重複, not selectable', () => {
    const result = plan(side([yamada, { ...yamada, firstName: '次郎' }]), side([yamada]));
    expect(result.entries).toEqual([
      {
        employeeCode: 'E1',
        status: 'conflict',
        name: '山田 太郎',
        changes: [],
        issues: [{ field: 'employeeCode', message: '社員番号「E1」が連携元に2件あります' }],
        fingerprint: null,
        selectable: false,
      },
    ]);
    expect(result.summary.conflict).toBe(1);
  });

  it('marks a 社員番号 twice in the target 重複 (codes compared after NFKC)', () => {
    const result = plan(side([yamada]), side([yamada, { ...yamada, employeeCode: ' Ｅ1' }]));
    expect(result.entries[0]).toMatchObject({
      status: 'conflict',
      selectable: false,
      issues: [{ field: 'employeeCode', message: '社員番号「E1」が連携先に2件あります' }],
    });
    expect(result.targetOnlyCodes).toEqual([]);
  });

  it('cannot diff against a target record that failed to read: エラー naming the target', () => {
    const unreadable: ListedEmployee = {
      ok: false,
      employeeCode: 'E1',
      issues: [{ field: 'birthDate', message: '生年月日: 「0」は日付として読み取れません' }],
    };
    const [entry] = plan(side([yamada]), side([unreadable])).entries;
    expect(entry).toMatchObject({
      status: 'invalid',
      selectable: false,
      name: '山田 太郎',
      issues: [{ field: 'birthDate', message: '連携先のデータ: 生年月日: 「0」は日付として読み取れません' }],
    });
  });

  it('overwrites an unreadable target value with the source value', () => {
    const [entry] = plan(side([yamada]), side([{ ...yamada, birthDate: '1990-02-30' }])).entries;
    expect(entry?.status).toBe('changed');
    expect(entry?.changes).toEqual([{ field: 'birthDate', before: '1990-02-30', after: '1990-04-01' }]);
  });

  it('lists an invalid source record without a 社員番号 on its own', () => {
    const result = plan(
      side([{ ok: false, issues: [{ field: 'employeeCode', message: '社員番号: 社員番号がありません' }] }]),
      side([]),
    );
    expect(result.entries).toMatchObject([{ employeeCode: '', status: 'invalid', selectable: false }]);
  });

  it('counts and lists target-only employees in natural order, never deleting them', () => {
    const result = plan(side([yamada]), side([yamada, { employeeCode: 'E10' }, { employeeCode: 'E9' }]));
    expect(result.targetOnlyCodes).toEqual(['E9', 'E10']);
    expect(result.summary.targetOnly).toBe(2);
    expect(result.entries).toHaveLength(1);
  });

  it('orders entries by 社員番号 in natural order', () => {
    const codes = ['E10', 'E2', 'A1', 'E1', 'E100', 'E02'];
    const result = plan(side(codes.map((employeeCode) => ({ employeeCode }))), side([]));
    expect(result.entries.map((entry) => entry.employeeCode)).toEqual([
      'A1',
      'E1',
      'E02',
      'E2',
      'E10',
      'E100',
    ]);
  });
});

const ALL_COMPARED = FIELD_KEYS;

describe('plan — sync modes', () => {
  const source: Employee = { employeeCode: 'E1', lastName: '佐藤', email: undefined, phone: '090-0000-0000' };
  const target: Employee = { employeeCode: 'E1', lastName: '山田', email: 'taro@example.jp' };
  const fields: ConnectorFields = { lastName: 'readWrite', email: 'readWrite', phone: 'readWrite' };
  const changes = (modes: Partial<Record<FieldKey, SyncMode>>) =>
    plan(side([source], fields), side([target], fields), { modes }).entries[0]?.changes;

  it('update (default): writes differing non-empty values, leaves the target where the source is empty', () => {
    expect(changes({})).toEqual([
      { field: 'lastName', before: '山田', after: '佐藤' },
      { field: 'phone', before: null, after: '090-0000-0000' },
    ]);
  });

  it('mirror: an empty source value clears the target (after null)', () => {
    expect(changes({ email: 'mirror', lastName: 'mirror' })).toEqual([
      { field: 'lastName', before: '山田', after: '佐藤' },
      { field: 'email', before: 'taro@example.jp', after: null },
      { field: 'phone', before: null, after: '090-0000-0000' },
    ]);
  });

  it('fill-if-empty: writes only where the target is empty', () => {
    expect(changes({ lastName: 'fill-if-empty', phone: 'fill-if-empty' })).toEqual([
      { field: 'phone', before: null, after: '090-0000-0000' },
    ]);
  });

  it('skip: the field is not compared at all', () => {
    const result = plan(side([source], fields), side([target], fields), { modes: { lastName: 'skip' } });
    expect(result.fields).toEqual(['email', 'phone']);
    expect(result.modes.lastName).toBe('skip');
    expect(result.modes.gender).toBe('update');
    expect(result.entries[0]?.changes.map((change) => change.field)).toEqual(['phone']);
  });

  it('compares only fields the source reads and the target writes, narrowed by options.fields', () => {
    const sourceFields: ConnectorFields = { lastName: 'write', email: 'read', phone: 'readWrite' };
    const targetFields: ConnectorFields = { lastName: 'readWrite', email: 'read', phone: 'readWrite' };
    const result = plan(side([source], sourceFields), side([target], targetFields), {
      modes: { email: 'mirror' },
    });
    expect(result.fields).toEqual(['phone']);
    expect(result.entries[0]?.changes.map((change) => change.field)).toEqual(['phone']);
    const narrowed = plan(side([source], fields), side([target], fields), { fields: ['lastName'] });
    expect(narrowed.fields).toEqual(['lastName']);
    expect(narrowed.entries[0]?.changes.map((change) => change.field)).toEqual(['lastName']);
  });
});

describe('plan — codeKey', () => {
  // A PCA area that zero-pads: digit-only codes match without their leading zeros.
  const codeKey = (code: string) => (/^\d+$/.test(code) ? code.replace(/^0+(?=\d)/, '') : code);

  it('matches 社員番号 on the key, keeping each side its own code', () => {
    const result = plan(
      side([{ ...yamada, employeeCode: '123' }]),
      side([{ ...yamada, employeeCode: '000123' }, { employeeCode: '000456' }]),
      { codeKey },
    );
    expect(result.entries.map((entry) => [entry.employeeCode, entry.status])).toEqual([['123', 'unchanged']]);
    expect(result.entries[0]?.targetEmployeeCode).toBe('000123');
    expect(result.targetOnlyCodes).toEqual(['000456']);
    // Without the key the codes are two, but never a 新規登録 (see the next block).
    expect(
      plan(side([{ ...yamada, employeeCode: '123' }]), side([{ ...yamada, employeeCode: '000123' }])).summary,
    ).toMatchObject({ new: 0, conflict: 1, targetOnly: 1 });
  });

  it("carries the target's own code only where it is spelled differently", () => {
    const result = plan(
      side([
        { ...yamada, employeeCode: '000123', lastName: '佐藤' },
        { ...yamada, employeeCode: '456' },
        { ...yamada, employeeCode: '000789' },
      ]),
      side([
        { ...yamada, employeeCode: '123' },
        { ...yamada, employeeCode: '456' },
      ]),
      { codeKey },
    );
    expect(
      result.entries.map((entry) => [entry.employeeCode, entry.status, entry.targetEmployeeCode]),
    ).toEqual([
      ['000123', 'changed', '123'],
      ['456', 'unchanged', undefined],
      ['000789', 'new', undefined],
    ]);
    expect(result.entries.filter((entry) => 'targetEmployeeCode' in entry)).toHaveLength(1);
    expect(Plan.parse(JSON.parse(JSON.stringify(result)))).toEqual(result);
  });

  it('finds duplicates on the key, naming every spelling', () => {
    const result = plan(
      side([
        { ...yamada, employeeCode: '0123' },
        { ...yamada, employeeCode: '123' },
      ]),
      side([]),
      { codeKey },
    );
    expect(result.entries).toMatchObject([
      {
        employeeCode: '0123',
        status: 'conflict',
        issues: [{ field: 'employeeCode', message: '社員番号「0123」が連携元に2件あります（0123、123）' }],
      },
    ]);
  });
});

describe('plan — codes that differ only in leading zeros', () => {
  it('never offers 123 as 新規登録 while the target holds 000123: a conflict naming both (別人の可能性)', () => {
    const result = plan(
      side([
        { ...yamada, employeeCode: '123' },
        { ...yamada, employeeCode: '0456' },
        { ...yamada, employeeCode: '789' },
        { ...yamada, employeeCode: 'A0012' },
      ]),
      side([{ employeeCode: '000123' }, { employeeCode: '456' }, { employeeCode: 'A12' }]),
    );
    expect(result.entries.map((entry) => [entry.employeeCode, entry.status, entry.selectable])).toEqual([
      ['123', 'conflict', false],
      ['0456', 'conflict', false],
      ['789', 'new', true],
      ['A0012', 'new', true],
    ]);
    expect(byCode(result.entries, '123')).toMatchObject({
      changes: [],
      issues: [
        { field: 'employeeCode', message: expect.stringContaining('「000123」と先頭の0だけが異なります') },
      ],
    });
    expect(byCode(result.entries, '123')?.issues[0]?.message).toContain('別人の可能性');
    expect(result.targetOnlyCodes).toEqual(['000123', '456', 'A12']);
    expect(result.summary).toMatchObject({ new: 2, conflict: 2, targetOnly: 3 });
  });
});

describe('plan — orgRefMatch', () => {
  // HR codes its 部署 D1, D2; the payroll system codes the same 部署 120, 130.
  const hr: Employee = { employeeCode: 'E1', department: { code: 'D1', name: '人事部' } };
  const payroll: Employee = { employeeCode: 'E1', department: { code: '120', name: '人事部' } };
  const DEPARTMENT: ConnectorFields = { department: 'readWrite' };
  const planDepartments = (source: Employee[], target: Employee[], orgRefMatch?: 'code' | 'name') =>
    plan(side(source, DEPARTMENT), side(target, DEPARTMENT), orgRefMatch ? { orgRefMatch } : {});

  it("code (default): the same name under another code is 差分あり, written with the source's code", () => {
    for (const result of [planDepartments([hr], [payroll]), planDepartments([hr], [payroll], 'code')]) {
      expect(result.entries[0]?.changes).toEqual([
        { field: 'department', before: payroll.department, after: hr.department },
      ]);
    }
  });

  it('name: values with equal names are 差分なし whatever their codes', () => {
    const result = planDepartments(
      [hr, { employeeCode: 'E2', department: { code: '7', name: '営業部' } }],
      [payroll, { employeeCode: 'E2', department: { name: 'ｴｲｷﾞｮｳ部' } }],
      'name',
    );
    expect(result.entries.map((entry) => entry.status)).toEqual(['unchanged', 'changed']);
    const other = planDepartments(
      [hr],
      [{ employeeCode: 'E1', department: { code: 'D1', name: '総務部' } }],
      'name',
    );
    expect(other.entries[0]?.status).toBe('changed');
  });

  it('name: writes the name without a code, so the target resolves it in its own master', () => {
    const result = planDepartments(
      [hr, { ...hr, employeeCode: 'E2' }],
      [{ employeeCode: 'E1', department: { code: 'D1', name: '総務部' } }],
      'name',
    );
    expect(result.entries.map((entry) => [entry.status, entry.changes])).toEqual([
      ['changed', [{ field: 'department', before: { name: '総務部' }, after: { name: '人事部' } }]],
      ['new', [{ field: 'department', before: null, after: { name: '人事部' } }]],
    ]);
  });

  it('name: a code without a name cannot be matched by name, and is never taken for empty', () => {
    const codeOnly: Employee = { employeeCode: 'E1', department: { code: 'D1', name: '' } };
    const [entry] = plan(side([codeOnly], DEPARTMENT), side([payroll], DEPARTMENT), {
      orgRefMatch: 'name',
      modes: { department: 'mirror' },
    }).entries;
    expect(entry).toMatchObject({ status: 'invalid', selectable: false, changes: [] });
    expect(entry?.issues.map((issue) => issue.message)).toEqual([
      '部署: コード「D1」だけで名称がないため、名称で照合できません',
    ]);
    // On the target's side it is shown as read, and replaced by the source's name.
    const [target] = planDepartments([hr], [codeOnly], 'name').entries;
    expect(target?.changes).toEqual([
      { field: 'department', before: { code: 'D1', name: '' }, after: { name: '人事部' } },
    ]);
  });

  it('name: the fingerprint covers names only, as fingerprintEmployee recomputes it under the same option', () => {
    const recoded: Employee = { employeeCode: 'E1', department: { code: '999', name: '人事部' } };
    const renamed: Employee = { employeeCode: 'E1', department: { code: '120', name: '総務部' } };
    const [byName] = planDepartments([hr], [payroll], 'name').entries;
    expect(byName?.fingerprint).toBe(fingerprintEmployee(payroll, ['department'], 'name'));
    expect(fingerprintEmployee(recoded, ['department'], 'name')).toBe(byName?.fingerprint);
    expect(fingerprintEmployee(renamed, ['department'], 'name')).not.toBe(byName?.fingerprint);
    // Under code, a target-side code change alone is a move.
    const [byCode] = planDepartments([hr], [payroll]).entries;
    expect(byCode?.fingerprint).toBe(fingerprintEmployee(payroll, ['department']));
    expect(fingerprintEmployee(recoded, ['department'])).not.toBe(byCode?.fingerprint);
  });

  it('applies to every OrgRef field and to nothing else', () => {
    const source: Employee = {
      employeeCode: 'E1',
      lastName: '山田',
      employmentType: { code: 'R', name: '正社員' },
      jobTitle: { code: 'J1', name: '部長' },
      employeeCategory: { code: 'C1', name: '一般' },
    };
    const target: Employee = {
      employeeCode: 'E1',
      lastName: '佐藤',
      employmentType: { code: '1', name: '正社員' },
      jobTitle: { code: '10', name: '部長' },
      employeeCategory: { code: '2', name: '一般' },
    };
    expect(plan(side([source]), side([target]), { orgRefMatch: 'name' }).entries[0]?.changes).toEqual([
      { field: 'lastName', before: '佐藤', after: '山田' },
    ]);
  });

  it('records the option in the plan (only when not the default) and round-trips it', () => {
    const byName = planDepartments([hr], [payroll], 'name');
    expect(byName.orgRefMatch).toBe('name');
    expect(Plan.parse(JSON.parse(JSON.stringify(byName)))).toStrictEqual(byName);
    const byCode = planDepartments([hr], [payroll]);
    expect('orgRefMatch' in byCode).toBe(false);
    expect(Plan.parse(JSON.parse(JSON.stringify(byCode)))).toStrictEqual(byCode);
  });
});

describe('plan — serialisation', () => {
  it('round-trips through JSON and the Plan schema', () => {
    const result = plan(
      side([
        yamada,
        {
          ...yamada,
          employeeCode: 'E2',
          bankAccounts: [
            {
              bankCode: '1',
              branchCode: '1',
              accountType: 'ordinary',
              accountNumber: '1',
              holderKana: 'ﾔﾏﾀﾞ',
            },
          ],
        },
        { ...yamada, employeeCode: 'E3', birthDate: '2023-02-30' },
        { ok: false, employeeCode: 'E4', issues: [{ field: 'record', message: 'レコード: 読み取れません' }] },
        { ...yamada, employeeCode: 'E5' },
        { ...yamada, employeeCode: 'E5' },
      ]),
      side([
        { ...yamada, lastName: '佐藤' },
        { employeeCode: 'E2', address: { postalCode: '1500001', prefecture: '東京都', city: '渋谷区' } },
        { employeeCode: 'E9' },
      ]),
      { modes: { address: 'mirror' } },
    );
    expect(result.summary).toEqual({
      new: 0,
      changed: 2,
      unchanged: 0,
      invalid: 2,
      conflict: 1,
      identity_mismatch: 0,
      targetOnly: 1,
    });
    expect(Plan.parse(JSON.parse(JSON.stringify(result)))).toStrictEqual(result);
  });
});

// Generated employees: canonical values from small pools (so equal and different values both occur),
// and a cosmetic variant of each value that must compare equal.
const pick = <T>(...values: T[]) => fc.option(fc.constantFrom(...values), { nil: undefined });
const employeeArb = (codes: string[]) =>
  fc.record(
    {
      employeeCode: fc.constantFrom(...codes),
      lastName: pick('山田', '佐藤', '鈴木'),
      firstName: pick('太郎', '花子'),
      lastNameKana: pick('ヤマダ', 'サトウ'),
      firstNameKana: pick('タロウ', 'ハナコ'),
      birthDate: pick('1990-04-01', '1985-12-31'),
      hireDate: pick('2019-05-01', '2020-04-01'),
      retireDate: pick('2024-03-31'),
      gender: pick('male', 'female', 'unspecified'),
      status: pick('employed', 'on_leave', 'retired'),
      email: pick('taro@example.co.jp', 'hanako@example.co.jp'),
      phone: pick('03-1234-5678', '090-1111-2222'),
      employmentType: pick({ code: '1', name: '正社員' }, { name: 'パート' }),
      department: pick({ code: 'D1', name: '営業部' }, { code: 'D2', name: '総務部' }),
      jobTitle: pick({ name: '部長' }, { name: '課長' }),
      employeeCategory: pick({ code: 'C1', name: '一般' }),
      address: pick(
        { postalCode: '150-0001', prefecture: '東京都', city: '渋谷区', street: '神宮前1-1' },
        { postalCode: '530-0001', prefecture: '大阪府', city: '大阪市北区' },
      ),
      bankAccounts: pick([
        {
          bankCode: '0001',
          branchCode: '001',
          accountType: 'ordinary' as const,
          accountNumber: '1234567',
          holderKana: 'ヤマダ タロウ',
        },
      ]),
    },
    { requiredKeys: ['employeeCode'] },
  ) as fc.Arbitrary<Employee>;

const cosmetic = (employee: Employee): Employee => {
  const variant: Record<string, unknown> = { ...employee, employeeCode: ` ${employee.employeeCode}\u3000` };
  if (employee.lastName) variant.lastName = `\u3000${employee.lastName} `;
  if (employee.lastNameKana)
    variant.lastNameKana = employee.lastNameKana
      .normalize('NFKD')
      .replace(/[\u30a1-\u30f6]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0x60));
  if (employee.birthDate) variant.birthDate = employee.birthDate.replaceAll('-', '');
  if (employee.hireDate) variant.hireDate = employee.hireDate.replaceAll('-', '/');
  if (employee.phone) variant.phone = employee.phone.replaceAll('-', '');
  if (employee.email)
    variant.email = employee.email.toUpperCase().replace(/^[^@]+/, (local) => local.toLowerCase());
  if (employee.gender) variant.gender = FIELD_CATALOG.gender.format(employee.gender);
  if (employee.address)
    variant.address = { ...employee.address, postalCode: employee.address.postalCode.replace('-', '') };
  if (employee.bankAccounts)
    variant.bankAccounts = employee.bankAccounts.map((a) => ({ ...a, bankCode: Number(a.bankCode) }));
  return variant as Employee;
};

const CODES = ['E1', 'E2', 'E3', 'E10', 'E11'];
const uniqueEmployees = fc.uniqueArray(employeeArb(CODES), {
  selector: (employee) => employee.employeeCode,
  maxLength: 5,
});
const anyRecords = fc.array(
  fc.oneof(
    { weight: 5, arbitrary: employeeArb(CODES).map(listed) },
    {
      weight: 1,
      arbitrary: fc.constantFrom(...CODES).map(
        (employeeCode): ListedEmployee => ({
          ok: false,
          employeeCode,
          issues: [{ field: 'birthDate', message: '生年月日: 「x」は日付として読み取れません' }],
        }),
      ),
    },
    {
      weight: 1,
      arbitrary: employeeArb(CODES).map((employee) => listed({ ...employee, birthDate: '2023-02-30' })),
    },
  ),
  { maxLength: 8 },
);
const modesArb = fc.dictionary(
  fc.constantFrom(...FIELD_KEYS),
  fc.constantFrom(...SyncModeSchema.options),
) as fc.Arbitrary<Partial<Record<FieldKey, SyncMode>>>;
const fieldsArb = fc.dictionary(
  fc.constantFrom(...FIELD_KEYS),
  fc.constantFrom('read', 'write', 'readWrite' as const),
) as fc.Arbitrary<ConnectorFields>;

const ORG_REF_FIELDS: readonly FieldKey[] = FIELD_KEYS.filter((key) => FIELD_CATALOG[key].type === 'orgRef');

describe('plan — properties', () => {
  it('plan(a, a) is all 差分なし, also against cosmetic variants of a', () => {
    fc.assert(
      fc.property(uniqueEmployees, modesArb, (employees, modes) => {
        for (const target of [employees, employees.map(cosmetic)]) {
          const result = plan(side(employees), side(target), { modes });
          expect(result.entries.map((entry) => entry.status)).toEqual(employees.map(() => 'unchanged'));
          expect(result.summary.unchanged).toBe(employees.length);
        }
      }),
    );
  });

  it('is independent of input order', () => {
    fc.assert(
      fc.property(anyRecords, anyRecords, modesArb, fc.integer(), (source, target, modes, seed) => {
        const shuffle = <T>(items: T[]) =>
          items
            .map((item, index) => ({ item, key: Math.sin(seed + index * 7919) }))
            .sort((a, b) => a.key - b.key)
            .map(({ item }) => item);
        const a = plan({ fields: ALL, records: source }, { fields: ALL, records: target }, { modes });
        const b = plan(
          { fields: ALL, records: shuffle(source) },
          { fields: ALL, records: shuffle(target) },
          { modes },
        );
        expect(b).toEqual(a);
      }),
    );
  });

  it("every change's after is the normalised source value; empty only under mirror", () => {
    fc.assert(
      fc.property(
        uniqueEmployees,
        uniqueEmployees,
        modesArb,
        fieldsArb,
        (source, target, modes, sourceFields) => {
          const variants = source.map(cosmetic);
          const result = plan(side(variants, sourceFields), side(target), { modes });
          for (const entry of result.entries) {
            const raw = variants.find(
              (employee) => employee.employeeCode.trim() === entry.employeeCode,
            ) as Employee;
            for (const change of entry.changes) {
              const normalised = normaliseField(change.field, raw[change.field]);
              expect(normalised.ok).toBe(true);
              expect(change.after).toEqual(normalised.ok ? (normalised.value ?? null) : 'unreadable');
              if (change.after === null) {
                expect(result.modes[change.field]).toBe('mirror');
                expect(['changed', 'identity_mismatch']).toContain(entry.status);
              }
              expect(result.fields).toContain(change.field);
            }
          }
        },
      ),
    );
  });

  it('fingerprints what the engine will re-read, and writing the changes converges to 差分なし', () => {
    fc.assert(
      fc.property(uniqueEmployees, uniqueEmployees, modesArb, (source, target, modes) => {
        const first = plan(side(source), side(target), { modes });
        const written = new Map(
          target.map((employee) => [employee.employeeCode, { ...employee } as Record<string, unknown>]),
        );
        for (const entry of first.entries) {
          const current = written.get(entry.employeeCode);
          expect(entry.fingerprint).toBe(fingerprintEmployee(current as Employee | undefined, first.fields));
          const record = current ?? { employeeCode: entry.employeeCode };
          for (const change of entry.changes) {
            if (change.after === null) delete record[change.field];
            else record[change.field] = change.after;
          }
          written.set(entry.employeeCode, record);
        }
        const second = plan(side(source), side([...written.values()] as Employee[]), { modes });
        // Converged: nothing left to write. Where the modes leave the identity fields alone (skip,
        // fill-if-empty), the target still holds another person and says so (別人の可能性, no changes).
        expect(second.entries.flatMap((entry) => entry.changes)).toEqual([]);
        expect(second.entries).toHaveLength(source.length);
        for (const entry of second.entries)
          expect(['unchanged', 'identity_mismatch']).toContain(entry.status);
      }),
    );
  });

  it('under orgRefMatch name, converges against a target that codes OrgRefs its own way', () => {
    // The target's own code per name (a master): every written OrgRef is resolved by name, as PCA does.
    const targetCode = (name: string) => `T-${[...name].map((c) => c.charCodeAt(0)).join('')}`;
    const recode = (employee: Employee): Record<string, unknown> => {
      const record: Record<string, unknown> = { ...employee };
      for (const field of ORG_REF_FIELDS) {
        const value = record[field] as { name: string } | undefined;
        if (value) record[field] = { code: targetCode(value.name), name: value.name };
      }
      return record;
    };
    fc.assert(
      fc.property(uniqueEmployees, uniqueEmployees, modesArb, (source, target, modes) => {
        const options = { modes, orgRefMatch: 'name' as const };
        const stored = target.map(recode);
        const first = plan(side(source), side(stored as Employee[]), options);
        const written = new Map(stored.map((employee) => [employee.employeeCode, employee]));
        for (const entry of first.entries) {
          const current = written.get(entry.employeeCode);
          expect(entry.fingerprint).toBe(
            fingerprintEmployee(current as Employee | undefined, first.fields, 'name'),
          );
          const record = current ?? { employeeCode: entry.employeeCode };
          for (const change of entry.changes) {
            if (change.after === null) delete record[change.field];
            else record[change.field] = change.after;
            if (ORG_REF_FIELDS.includes(change.field) && change.after !== null) {
              expect(change.after).not.toHaveProperty('code');
            }
          }
          written.set(entry.employeeCode, recode(record as Employee));
        }
        const second = plan(side(source), side([...written.values()] as Employee[]), options);
        // Converged: nothing left to write. Where the modes leave the identity fields alone, the
        // target still holds another person, and says so (別人の可能性 with no changes).
        expect(second.entries.flatMap((entry) => entry.changes)).toEqual([]);
        for (const entry of second.entries)
          expect(['unchanged', 'identity_mismatch']).toContain(entry.status);
      }),
    );
  });
});

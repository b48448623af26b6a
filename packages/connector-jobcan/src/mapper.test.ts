import { describe, expect, it } from 'vitest';
import type { JobcanEmployee } from './api.ts';
import { JOBCAN_FIELDS } from './connector.ts';
import { workKindMaster } from './fake/seed.ts';
import {
  canonicalFieldOf,
  JOBCAN_PROPERTY,
  placeholderEmail,
  toCreateBody,
  toListedEmployee,
  toUpdateBody,
} from './mapper.ts';

const kinds = workKindMaster();
const kindId = (name: string) => kinds.find((kind) => kind.name === name)?.id as number;

const record = (overrides: Partial<JobcanEmployee> = {}): JobcanEmployee => ({
  id: 7,
  code: 'E001',
  last_name: '山田',
  first_name: '花子',
  last_name_kana: 'ヤマダ',
  first_name_kana: 'ハナコ',
  email: 'hanako@example.co.jp',
  main_group: 1,
  sub_group: [],
  work_kind: kindId('社員'),
  hire_date: '2020-04-01',
  retire_date: null,
  birthday: '1990-05-06',
  tel: '03-1234-5678',
  status: 0,
  ...overrides,
});

describe('Jobcan → canonical', () => {
  it('reads the fields carried both ways, スタッフ種別 by name through the master', () => {
    expect(toListedEmployee(record(), kinds)).toEqual({
      ok: true,
      employee: {
        employeeCode: 'E001',
        lastName: '山田',
        firstName: '花子',
        hireDate: '2020-04-01',
        birthDate: '1990-05-06',
        phone: '03-1234-5678',
        employmentType: { name: '社員' },
        status: 'employed',
      },
    });
  });

  it('never carries the e-mail, the kana, the groups or the 退職日', () => {
    const listed = toListedEmployee(record({ retire_date: '2025-03-31' }), kinds);
    expect(listed.ok && Object.keys(listed.employee).sort()).toEqual(
      ['employeeCode', ...Object.keys(JOBCAN_FIELDS)].sort(),
    );
  });

  it('maps 在職 to employed and 退職 to retired', () => {
    const status = (value: JobcanEmployee['status']) => {
      const listed = toListedEmployee(record({ status: value }), kinds);
      return listed.ok ? listed.employee.status : 'invalid';
    };
    expect(status(0)).toBe('employed');
    expect(status(2)).toBe('retired');
  });

  it('reads 休職 as on_leave (Renkei writes it, so it reads it back)', () => {
    const listed = toListedEmployee(record({ status: 1 }), kinds);
    expect(listed).toMatchObject({ ok: true, employee: { status: 'on_leave' } });
  });

  it('reads 【未分類】 as no 雇用形態', () => {
    const listed = toListedEmployee(record({ work_kind: kindId('【未分類】') }), kinds);
    expect(listed.ok && listed.employee.employmentType).toBeUndefined();
  });

  it('reports an impossible date as an invalid entry naming the field, without throwing', () => {
    expect(toListedEmployee(record({ birthday: '1990-02-30' }), kinds)).toMatchObject({
      ok: false,
      employeeCode: 'E001',
      issues: [{ field: 'birthDate', message: expect.stringContaining('生年月日') }],
    });
  });

  it('reports a スタッフ種別 missing from the master', () => {
    expect(toListedEmployee(record({ work_kind: 99 }), kinds)).toMatchObject({
      ok: false,
      issues: [{ field: 'employmentType', message: expect.stringContaining('ID 99') }],
    });
  });

  it('reports a record it cannot read at all, keeping its スタッフコード when there is one', () => {
    expect(toListedEmployee({ id: 3, code: 'E003', last_name: 5 }, kinds)).toMatchObject({
      ok: false,
      employeeCode: 'E003',
      issues: [{ field: 'record', message: expect.stringContaining('last_name') }],
    });
    expect(toListedEmployee('<html>', kinds)).toMatchObject({ ok: false, issues: [{ field: 'record' }] });
  });
});

describe('canonical → Jobcan', () => {
  const employee = {
    employeeCode: 'E001',
    lastName: '山田',
    firstName: '花子',
    lastNameKana: 'ヤマダ',
    email: 'hanako@example.co.jp',
    hireDate: '2020-04-01',
    birthDate: '1990-05-06',
    phone: '03-1234-5678',
    employmentType: { code: '01', name: '社員' },
    status: 'retired' as const,
    department: { name: '営業部' },
  };

  it('creates with the written fields, the スタッフコード, the 在籍状況 and a placeholder e-mail', () => {
    expect(toCreateBody(employee, kinds)).toEqual({
      ok: true,
      body: {
        code: 'E001',
        last_name: '山田',
        first_name: '花子',
        hire_date: '2020-04-01',
        birthday: '1990-05-06',
        tel: '03-1234-5678',
        work_kind: kindId('社員'),
        status: 2,
        email: 'E001@example.jp',
      },
    });
  });

  it('creates a retiree as 退職 with its 退職日, even when its 在籍状況 is not compared', () => {
    const retiree = { employeeCode: 'E9', lastName: '山田', firstName: '花子', retireDate: '2026-03-31' };
    expect(toCreateBody(retiree, kinds, undefined, '2026-04-01')).toMatchObject({
      ok: true,
      body: { retire_date: '2026-03-31', status: 2 },
    });
    // Retiring later: created as it is (no status: 在職).
    const leaving = toCreateBody({ ...retiree, retireDate: '2026-09-30' }, kinds, undefined, '2026-04-01');
    expect(leaving.ok && 'status' in leaving.body).toBe(false);
    expect(toCreateBody({ ...retiree, status: 'on_leave' }, kinds, undefined, '2026-04-01')).toMatchObject({
      body: { status: 1 },
    });
  });

  it('takes the placeholder domain as configured', () => {
    const created = toCreateBody(employee, kinds, 'dummy.example.com');
    expect(created.ok && created.body.email).toBe('E001@dummy.example.com');
    expect(placeholderEmail('42')).toBe('42@example.jp');
  });

  it('updates only the changed fields, the 在籍状況 and 退職日 included, never the e-mail', () => {
    expect(
      toUpdateBody(
        { phone: '090-1111-2222', email: 'new@example.co.jp', status: 'retired', retireDate: '2026-03-31' },
        kinds,
      ),
    ).toEqual({
      ok: true,
      body: { tel: '090-1111-2222', status: 2, retire_date: '2026-03-31' },
    });
  });

  it('clears an optional field with null, and a cleared 雇用形態 becomes 【未分類】', () => {
    expect(toUpdateBody({ birthDate: null, employmentType: null }, kinds)).toEqual({
      ok: true,
      body: { birthday: null, work_kind: kindId('【未分類】') },
    });
  });

  it('matches the スタッフ種別 by normalised name', () => {
    const mapped = toUpdateBody({ employmentType: { name: 'ﾊﾟｰﾄﾀｲﾏｰ' } }, kinds);
    expect(mapped).toEqual({ ok: true, body: { work_kind: kindId('パートタイマー') } });
  });

  it('fails an 雇用形態 missing from Jobcan’s master, naming it, and never invents a master entry', () => {
    const mapped = toCreateBody({ ...employee, employmentType: { name: '正社員' } }, kinds);
    expect(mapped).toEqual({
      ok: false,
      error: {
        kind: 'validation',
        retryable: false,
        message: expect.stringContaining('雇用形態「正社員」はジョブカンのスタッフ種別にありません'),
      },
      issues: [
        {
          field: 'employmentType',
          message: expect.stringContaining('雇用形態「正社員」は'),
          value: { name: '正社員' },
        },
      ],
    });
    expect(kinds.map((kind) => kind.name)).not.toContain('正社員');
  });

  it('refuses what Jobcan refuses before sending: 姓・名 required, スタッフコード and 電話番号 formats', () => {
    const { firstName: _, ...nameless } = employee;
    const created = toCreateBody({ ...nameless, employeeCode: '社員1', phone: '03-1234-5678 内線12' }, kinds);
    expect(created.ok ? [] : created.issues.map((issue) => issue.field)).toEqual([
      'employeeCode',
      'firstName',
      'phone',
    ]);
    expect(created.ok || created.error).toEqual({
      kind: 'validation',
      retryable: false,
      message: (created.ok ? [] : created.issues).map((issue) => issue.message).join(' '),
    });
    expect(created.ok ? '' : created.error.message).toContain('ジョブカンでは名は必須です。');

    const cleared = toUpdateBody(
      { lastName: null, firstName: ' ', employmentType: { name: '正社員' } },
      kinds,
    );
    expect(cleared.ok ? [] : cleared.issues.map((issue) => issue.field)).toEqual([
      'lastName',
      'firstName',
      'employmentType',
    ]);
    // An update that leaves the names alone needs neither.
    expect(toUpdateBody({ phone: '(03) 1234-5678' }, kinds).ok).toBe(true);
  });

  it('maps every property it writes back to the declared canonical field', () => {
    for (const [field, { property }] of Object.entries(JOBCAN_PROPERTY)) {
      expect(canonicalFieldOf(property)).toBe(field);
      expect(JOBCAN_FIELDS).toHaveProperty(field);
    }
    expect(canonicalFieldOf('email')).toBeUndefined();
  });
});

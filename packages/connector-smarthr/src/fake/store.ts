import { z } from 'zod';
import { EmployeeCreateBody, EmployeeUpdateBody, type VendorEmployee } from '../api.ts';
import { VENDOR } from '../vendor.ts';

/** A refusal in the vendor's words: the HTTP status and its error body. */
export interface VendorRefusal {
  status: number;
  error: string;
  message: string;
}

type Stored = { ok: true; employee: VendorEmployee } | { ok: false; refusal: VendorRefusal };

const KATAKANA = /^[ァ-ヺー・\s　]+$/u;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

const EMPTY: Omit<VendorEmployee, 'id' | 'code'> = {
  last_name: null,
  first_name: null,
  last_name_kana: null,
  first_name_kana: null,
  birth_date: null,
  hire_date: null,
  email: null,
  tel: null,
  status: null,
};

const refuse = (message: string, status = 422, error = 'validation_error'): Stored => ({
  ok: false,
  refusal: { status, error, message },
});

/** The vendor's per-record rules, checked the way it checks them: the first violation, in its words. */
function violation(body: Partial<VendorEmployee>): string | undefined {
  if (body.code !== undefined && !VENDOR.employeeCode.test(body.code)) {
    return 'code: 社員番号は半角英数字・ハイフン・アンダースコア20文字以内で入力してください。';
  }
  for (const key of ['birth_date', 'hire_date'] as const) {
    const value = body[key];
    if (typeof value === 'string' && !isCalendarDate(value))
      return `${key}: 日付はYYYY-MM-DD形式で入力してください。`;
  }
  for (const key of ['last_name_kana', 'first_name_kana'] as const) {
    const value = body[key];
    if (typeof value === 'string' && !KATAKANA.test(value))
      return `${key}: フリガナは全角カタカナで入力してください。`;
  }
  if (typeof body.email === 'string' && !/^[^@\s]+@[^@\s]+$/.test(body.email)) {
    return 'email: メールアドレスの形式が正しくありません。';
  }
  return undefined;
}

function isCalendarDate(value: string): boolean {
  const date = new Date(`${value}T00:00:00Z`);
  return DATE.test(value) && !Number.isNaN(date.getTime()) && date.toISOString().startsWith(value);
}

/** The vendor's records per data area, keyed by 社員番号 (unique: a second create is a 409). */
export function createStore(areas: readonly string[]) {
  const records = new Map(areas.map((area) => [area, new Map<string, VendorEmployee>()]));
  let nextId = 1;

  const area = (id: string) => records.get(id);
  const insert = (areaId: string, fields: Partial<VendorEmployee> & { code: string }): VendorEmployee => {
    const employee = { ...EMPTY, ...fields, id: nextId++ };
    area(areaId)?.set(employee.code, employee);
    return employee;
  };

  const add = (areaId: string, fields: Partial<VendorEmployee> & { code: string }): Stored => {
    const problem = violation(fields);
    if (problem) return refuse(problem);
    if (area(areaId)?.has(fields.code))
      return refuse('この社員番号はすでに登録されています。', 409, 'duplicate_code');
    return { ok: true, employee: insert(areaId, fields) };
  };

  return {
    has: (areaId: string) => records.has(areaId),
    insert,
    get: (areaId: string, code: string) => area(areaId)?.get(code),
    /** Every record of an area in id order (the listing order). */
    list: (areaId: string) => [...(area(areaId)?.values() ?? [])].sort((a, b) => a.id - b.id),

    /** A new record after the vendor's per-record checks (the seed's way in). */
    add,

    /** A create through the API: the body is checked first. */
    create(areaId: string, raw: unknown): Stored {
      const parsed = EmployeeCreateBody.safeParse(raw);
      if (!parsed.success)
        return refuse(
          `項目の形式が正しくありません: ${z.prettifyError(parsed.error)}`,
          400,
          'invalid_request',
        );
      return add(areaId, parsed.data);
    },

    update(areaId: string, code: string, raw: unknown): Stored {
      const employee = area(areaId)?.get(code);
      if (!employee) return refuse('社員番号が見つかりません。', 404, 'not_found');
      const parsed = EmployeeUpdateBody.safeParse(raw);
      if (!parsed.success)
        return refuse(
          `項目の形式が正しくありません: ${z.prettifyError(parsed.error)}`,
          400,
          'invalid_request',
        );
      const problem = violation(parsed.data);
      if (problem) return refuse(problem);
      Object.assign(employee, parsed.data);
      return { ok: true, employee };
    },

    clear() {
      for (const map of records.values()) map.clear();
    },
  };
}

export type Store = ReturnType<typeof createStore>;

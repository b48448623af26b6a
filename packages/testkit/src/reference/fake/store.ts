import {
  type BatchOperation,
  type BatchResponse,
  EMPLOYEE_CODE_RULE,
  BatchOperation as OperationSchema,
  type VendorEmployee,
} from '../api.ts';
import { isIsoDate } from '../mapper.ts';

export interface AreaInfo {
  id: string;
  name: string;
}

type Result = BatchResponse['results'][number];

const KATAKANA = /^[ァ-ヺー・\s　]+$/u;

/**
 * The vendor's records per area, keyed by its own id. Like several real systems it does not make
 * 社員番号 unique on create — which is exactly why a client must never create twice.
 */
export function createVendorStore(areas: readonly AreaInfo[], now: () => number) {
  const records = new Map<string, Map<string, VendorEmployee>>(areas.map((area) => [area.id, new Map()]));
  let nextId = 1;

  const area = (id: string) => records.get(id);
  const stamp = () => new Date(now()).toISOString();
  const byCode = (areaId: string, code: string) =>
    [...(records.get(areaId)?.values() ?? [])].filter((record) => record.code === code);

  const insert = (areaId: string, fields: Omit<VendorEmployee, 'id' | 'updated_at'>): VendorEmployee => {
    const record = { ...fields, id: `emp_${String(nextId++).padStart(6, '0')}`, updated_at: stamp() };
    records.get(areaId)?.set(record.id, record);
    return record;
  };

  /** One operation: validated as the vendor does, then applied; never throws. */
  const applyOperation = (areaId: string, index: number, raw: unknown): Result => {
    const rawCode = (raw as { code?: unknown; employee?: { code?: unknown } }) ?? {};
    const code = String(rawCode.code ?? rawCode.employee?.code ?? '');
    const parsed = OperationSchema.safeParse(raw);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      return {
        index,
        code,
        status: 'error',
        error: {
          code: 'VALIDATION',
          message:
            issue?.code === 'unrecognized_keys'
              ? `未対応の項目です: ${issue.keys.join(', ')}`
              : '項目の形式が正しくありません。',
          ...(issue ? { field: issue.path.join('.') } : {}),
        },
      };
    }
    const operation: BatchOperation = parsed.data;
    const values = operation.op === 'create' ? operation.employee : operation.changes;
    const invalid = validate(operation.op === 'create' ? operation.employee.code : operation.code, values);
    if (invalid) return { index, code, status: 'error', error: { code: 'VALIDATION', ...invalid } };

    if (operation.op === 'create') {
      const record = insert(areaId, { ...EMPTY, ...operation.employee });
      return { index, code, status: 'ok', id: record.id };
    }
    const matches = byCode(areaId, operation.code);
    if (matches.length === 0) {
      return {
        index,
        code,
        status: 'error',
        error: { code: 'NOT_FOUND', message: '社員番号が見つかりません。' },
      };
    }
    if (matches.length > 1) {
      return {
        index,
        code,
        status: 'error',
        error: { code: 'DUPLICATE_CODE', message: '社員番号が重複しています。' },
      };
    }
    const record = matches[0] as VendorEmployee;
    Object.assign(record, operation.changes, { updated_at: stamp() });
    return { index, code, status: 'ok', id: record.id };
  };

  return {
    area,
    insert,
    applyOperation,
    byCode,
    /** Every record of an area in id order (the listing order). */
    list: (areaId: string) =>
      [...(records.get(areaId)?.values() ?? [])].sort((a, b) => a.id.localeCompare(b.id)),
    clear() {
      for (const map of records.values()) map.clear();
    },
  };
}

export type VendorStore = ReturnType<typeof createVendorStore>;

const EMPTY: Omit<VendorEmployee, 'id' | 'updated_at' | 'code'> = {
  last_name: null,
  first_name: null,
  last_name_kana: null,
  first_name_kana: null,
  birth_date: null,
  hire_date: null,
  retire_date: null,
  gender: null,
  status: null,
  email: null,
  phone: null,
  department: null,
  job_title: null,
  employment_type: null,
};

/** The vendor's per-record rules; the first violation, in its words. */
function validate(
  code: string,
  values: Partial<Record<string, unknown>>,
): { message: string; field: string } | undefined {
  if (!EMPLOYEE_CODE_RULE.pattern.test(code)) return { field: 'code', message: EMPLOYEE_CODE_RULE.message };
  for (const field of ['birth_date', 'hire_date', 'retire_date']) {
    const value = values[field];
    if (typeof value === 'string' && !isIsoDate(value))
      return { field, message: '日付はYYYY-MM-DD形式で入力してください。' };
  }
  for (const field of ['last_name_kana', 'first_name_kana']) {
    const value = values[field];
    if (typeof value === 'string' && !KATAKANA.test(value))
      return { field, message: 'フリガナは全角カタカナで入力してください。' };
  }
  const email = values.email;
  if (typeof email === 'string' && !/^[^@\s]+@[^@\s]+$/.test(email)) {
    return { field: 'email', message: 'メールアドレスの形式が正しくありません。' };
  }
  return undefined;
}

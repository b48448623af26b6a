import {
  EmployeeCreateBody,
  EmployeeUpdateBody,
  type ErrorCode,
  type Group,
  type JobcanEmployee,
  type WorkKind,
} from '../api.ts';
import { JOBCAN } from '../vendor.ts';

/** A refusal as Jobcan words it: the HTTP status and its `{"error", "message"}` body. */
export interface Refusal {
  status: 400 | 404 | 409;
  error: ErrorCode;
  message: string;
}
export type Stored = { ok: true; record: JobcanEmployee } | { ok: false; refusal: Refusal };

const invalid = (message: string): Refusal => ({ status: 400, error: 'validation_error', message });

const REQUIRED = {
  code: 'スタッフコード',
  last_name: '姓',
  first_name: '名',
  email: 'メールアドレス',
} as const;
const DATES = { hire_date: '入社日', retire_date: '退職日', birthday: '生年月日' } as const;
const EMAIL = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;

/** A real calendar date written `YYYY-MM-DD`. */
function isIsoDate(value: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const date = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === value;
}

/** A required property sent empty, or (on a create) left out. */
function missing(body: unknown, create: boolean): Refusal | undefined {
  const values = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
  for (const [property, label] of Object.entries(REQUIRED)) {
    const value = values[property];
    const blank = value === null || (typeof value === 'string' && value.trim() === '');
    if (blank || (create && value === undefined)) return invalid(`${label}は必須です。`);
  }
  return undefined;
}

/** The body's shape: unknown properties and wrong types. */
function malformed(issue: { code: string; path: PropertyKey[]; keys?: string[] } | undefined): Refusal {
  if (issue?.code === 'unrecognized_keys') return invalid(`未対応の項目です: ${issue.keys?.join(', ')}`);
  return invalid(`項目「${String(issue?.path[0] ?? '')}」の形式が正しくありません。`);
}

/**
 * Jobcan's staff and its masters: records keyed by id, スタッフコード unique. Every write is
 * validated the way Jobcan does; nothing here throws for bad input.
 */
export function createStaffStore(masters: { workKinds: readonly WorkKind[]; groups: readonly Group[] }) {
  const records = new Map<number, JobcanEmployee>();
  const idsByCode = new Map<string, number>();
  let nextId = 1;
  const unclassified = masters.workKinds.find((kind) => kind.name === JOBCAN.unclassifiedWorkKind);

  /** The first value rule a write breaks. */
  function broken(values: Partial<JobcanEmployee>): Refusal | undefined {
    if (values.code !== undefined && !JOBCAN.staffCode.test(values.code)) {
      return invalid('スタッフコードは半角英数字・ハイフン・アンダースコア50文字以内で入力してください。');
    }
    if (values.email && !EMAIL.test(values.email)) return invalid('メールアドレスの形式が正しくありません。');
    for (const [property, label] of Object.entries(DATES)) {
      const value = values[property as keyof typeof DATES];
      if (value && !isIsoDate(value))
        return invalid(`${label}はYYYY-MM-DD形式の正しい日付で入力してください。`);
    }
    if (values.tel && !JOBCAN.tel.test(values.tel))
      return invalid('電話番号は半角数字とハイフンで入力してください。');
    if (values.work_kind !== undefined && !masters.workKinds.some((kind) => kind.id === values.work_kind)) {
      return invalid(`スタッフ種別（ID ${values.work_kind}）は存在しません。`);
    }
    const groups = [...(values.main_group == null ? [] : [values.main_group]), ...(values.sub_group ?? [])];
    const unknownGroup = groups.find((id) => !masters.groups.some((group) => group.id === id));
    if (unknownGroup !== undefined) return invalid(`グループ（ID ${unknownGroup}）は存在しません。`);
    return undefined;
  }

  // Every record in id order, kept until the set of records changes: paging 100k records must not
  // sort them again for every page.
  let sorted: JobcanEmployee[] | undefined;
  const list = (): JobcanEmployee[] => {
    sorted ??= [...records.values()].sort((a, b) => a.id - b.id);
    return sorted;
  };
  const insert = (record: Omit<JobcanEmployee, 'id'>): JobcanEmployee => {
    const stored = { id: nextId++, ...record };
    sorted = undefined;
    records.set(stored.id, stored);
    idsByCode.set(stored.code, stored.id);
    return stored;
  };
  const byCode = (code: string) => {
    const id = idsByCode.get(code);
    return id === undefined ? undefined : records.get(id);
  };

  return {
    workKinds: masters.workKinds,
    groups: masters.groups,
    byCode,
    /** Every record in id order (the listing order); a copy. */
    list: () => [...list()],
    /** Up to `count` records with an id above `afterId`, in id order (one listing page). */
    page(afterId: number, count: number): JobcanEmployee[] {
      const all = list();
      let low = 0;
      let high = all.length;
      while (low < high) {
        const mid = (low + high) >>> 1;
        if ((all[mid] as JobcanEmployee).id <= afterId) low = mid + 1;
        else high = mid;
      }
      return all.slice(low, low + count);
    },
    /** Stores a record as it is, unchecked (data that got in by other means, e.g. a CSV import). */
    insert,

    create(body: unknown): Stored {
      const parsed = EmployeeCreateBody.safeParse(body);
      const refusal =
        missing(body, true) ?? (parsed.success ? broken(parsed.data) : malformed(parsed.error.issues[0]));
      if (refusal || !parsed.success) return { ok: false, refusal: refusal ?? malformed(undefined) };
      const values = parsed.data;
      if (idsByCode.has(values.code)) {
        const message = `スタッフコード「${values.code}」は既に登録されています。`;
        return { ok: false, refusal: { status: 409, error: 'duplicate_code', message } };
      }
      const record = insert({
        code: values.code,
        last_name: values.last_name as string,
        first_name: values.first_name as string,
        last_name_kana: values.last_name_kana ?? null,
        first_name_kana: values.first_name_kana ?? null,
        email: values.email as string,
        main_group: values.main_group ?? null,
        sub_group: values.sub_group ?? [],
        work_kind: values.work_kind ?? (unclassified?.id as number),
        hire_date: values.hire_date ?? null,
        retire_date: values.retire_date ?? null,
        birthday: values.birthday ?? null,
        tel: values.tel ?? null,
        status: values.status ?? JOBCAN.status.employed,
      });
      return { ok: true, record };
    },

    /** PUT: the properties given replace the stored ones; `null` clears an optional one. */
    update(code: string, body: unknown): Stored {
      const record = byCode(code);
      if (!record) {
        const message = `スタッフコード「${code}」のスタッフは存在しません。`;
        return { ok: false, refusal: { status: 404, error: 'not_found', message } };
      }
      const parsed = EmployeeUpdateBody.safeParse(body);
      const refusal =
        missing(body, false) ?? (parsed.success ? broken(parsed.data) : malformed(parsed.error.issues[0]));
      if (refusal || !parsed.success) return { ok: false, refusal: refusal ?? malformed(undefined) };
      Object.assign(record, parsed.data);
      return { ok: true, record };
    },

    clear() {
      sorted = undefined;
      records.clear();
      idsByCode.clear();
      nextId = 1;
    },

    /** The records as stored (unchecked, like `insert`) and the next id, for a snapshot. */
    dump: () => ({ records: [...records.values()], nextId }),
    load(saved: { records: readonly JobcanEmployee[]; nextId: number }) {
      sorted = undefined;
      records.clear();
      idsByCode.clear();
      for (const record of saved.records) {
        records.set(record.id, { ...record });
        idsByCode.set(record.code, record.id);
      }
      nextId = saved.nextId;
    },
  };
}

export type StaffStore = ReturnType<typeof createStaffStore>;

import { DEPARTMENTS, EMPLOYMENT_TYPES, JOB_TITLES } from '@renkei/testkit/fakes';
import type { z } from 'zod';
import { type Crew, CrewCreateBody, CrewUpdateBody, type MasterEntry } from '../api.ts';
import type { Masters } from '../mapper.ts';
import { VENDOR } from '../vendor.ts';

/** One entry of SmartHR's `errors` list. */
export interface FieldError {
  field: string;
  code?: string;
  message: string;
}

export type Stored = { ok: true; crew: Crew } | { ok: false; status: 400 | 404; errors: FieldError[] };

const KATAKANA = /^[ァ-ヺー・\s　]+$/u;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const ZIP = /^\d{3}-?\d{4}$/;

const isCalendarDate = (value: string) =>
  DATE.test(value) && new Date(`${value}T00:00:00Z`).toISOString().startsWith(value);

/** The masters a new tenant of the fake holds: the ones generated employees are drawn from. */
function defaultMasters(): Masters {
  const entries = (prefix: string, list: readonly { code: string; name: string }[]): MasterEntry[] =>
    list.map(({ code, name }) => ({ id: `${prefix}-${code}`, name, code }));
  return {
    employmentType: entries('et', EMPLOYMENT_TYPES),
    department: entries('dep', DEPARTMENTS),
    jobTitle: entries('pos', JOB_TITLES),
  };
}

const EMPTY: Omit<Crew, 'id' | 'emp_code' | 'last_name' | 'first_name'> = {
  emp_status: null,
  last_name_yomi: null,
  first_name_yomi: null,
  business_last_name: null,
  business_first_name: null,
  business_last_name_yomi: null,
  business_first_name_yomi: null,
  birth_at: null,
  gender: null,
  email: null,
  tel_number: null,
  entered_at: null,
  resigned_at: null,
  employment_type: null,
  departments: [],
  positions: [],
  address: null,
  bank_accounts: [],
};

const zodErrors = (error: z.ZodError): FieldError[] =>
  error.issues.map((issue) => ({
    field: issue.path.join('.') || 'body',
    message: issue.code === 'unrecognized_keys' ? `不明な項目です: ${issue.keys.join(', ')}` : issue.message,
  }));

/** SmartHR's per-record rules, beyond the body's shape: every violation, in its words. */
function violations(body: CrewUpdateBody & { emp_code?: string }, masters: Masters): FieldError[] {
  const errors: FieldError[] = [];
  for (const key of ['birth_at', 'entered_at', 'resigned_at'] as const) {
    const value = body[key];
    if (typeof value === 'string' && !isCalendarDate(value))
      errors.push({ field: key, message: 'は不正な日付です' });
  }
  for (const key of [
    'last_name_yomi',
    'first_name_yomi',
    'business_last_name_yomi',
    'business_first_name_yomi',
  ] as const) {
    const value = body[key];
    if (typeof value === 'string' && !KATAKANA.test(value))
      errors.push({ field: key, message: 'はカタカナで入力してください' });
  }
  if (body.email && !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(body.email))
    errors.push({ field: 'email', message: 'は不正な値です' });
  if (body.address?.zip_code && !ZIP.test(body.address.zip_code))
    errors.push({ field: 'address.zip_code', message: 'は不正な値です' });
  if (body.address && !body.address.city)
    errors.push({ field: 'address.city', message: 'を入力してください' });
  for (const [index, account] of (body.bank_accounts ?? []).entries()) {
    if (
      !/^\d{4}$/.test(account.bank_code) ||
      !/^\d{3}$/.test(account.bank_branch_code) ||
      !/^\d{1,8}$/.test(account.account_number)
    ) {
      errors.push({
        field: `bank_accounts.${index}`,
        message: 'の金融機関コード・支店コード・口座番号が不正です',
      });
    }
  }
  const known = (list: readonly MasterEntry[], id: string) => list.some((entry) => entry.id === id);
  if (body.employment_type_id && !known(masters.employmentType, body.employment_type_id)) {
    errors.push({ field: 'employment_type_id', message: 'は存在しません' });
  }
  for (const [key, list] of [
    ['department_ids', masters.department],
    ['position_ids', masters.jobTitle],
  ] as const) {
    if (body[key]?.some((id) => !known(list, id)))
      errors.push({ field: key, message: 'に存在しないIDが含まれています' });
  }
  return errors;
}

/** SmartHR's crews of one tenant, with its masters; `emp_code` is unique among them. */
export function createStore() {
  const crews = new Map<string, Crew>();
  let masters = defaultMasters();
  let nextId = 1;

  const byCode = (code: string) => [...crews.values()].find((crew) => crew.emp_code === code);
  const find = (list: readonly MasterEntry[], id: string) =>
    list.find((entry) => entry.id === id) as MasterEntry;

  /** The body's properties on a crew, ids resolved to the master entries SmartHR answers with. */
  const assign = (crew: Crew, body: CrewUpdateBody) => {
    const { employment_type_id, department_ids, position_ids, address, ...plain } = body;
    Object.assign(crew, plain);
    if (employment_type_id !== undefined) {
      crew.employment_type =
        employment_type_id === null ? null : find(masters.employmentType, employment_type_id);
    }
    if (department_ids) crew.departments = department_ids.map((id) => find(masters.department, id));
    if (position_ids) crew.positions = position_ids.map((id) => find(masters.jobTitle, id));
    if (address !== undefined) {
      crew.address = address && {
        zip_code: null,
        pref: null,
        city: null,
        street: null,
        building: null,
        ...address,
      };
    }
    return crew;
  };

  const checked = (body: CrewUpdateBody & { emp_code?: string }, self?: Crew): FieldError[] => {
    const errors = violations(body, masters);
    const holder = body.emp_code === undefined ? undefined : byCode(body.emp_code);
    if (holder && holder !== self) {
      errors.push({ field: 'emp_code', code: VENDOR.takenCode, message: 'はすでに存在します' });
    }
    return errors;
  };

  return {
    masters: () => masters,
    /** Every crew in id order (the listing order), optionally only one 社員番号. */
    list: (empCode?: string | null) =>
      [...crews.values()].filter(
        (crew) => empCode === null || empCode === undefined || crew.emp_code === empCode,
      ),
    get: (id: string) => crews.get(id),
    byCode,

    /** A crew exactly as given, past every check (a record written by an older SmartHR, say). */
    insert(fields: Partial<Crew> & Pick<Crew, 'emp_code' | 'last_name' | 'first_name'>): Crew {
      const crew: Crew = { ...EMPTY, ...fields, id: `crew-${String(nextId++).padStart(6, '0')}` };
      crews.set(crew.id, crew);
      return crew;
    },

    create(raw: unknown): Stored {
      const parsed = CrewCreateBody.safeParse(raw);
      if (!parsed.success) return { ok: false, status: 400, errors: zodErrors(parsed.error) };
      const errors = checked(parsed.data);
      if (errors.length > 0) return { ok: false, status: 400, errors };
      const { emp_code, last_name, first_name, ...rest } = parsed.data;
      const crew = this.insert({ emp_code, last_name, first_name });
      return { ok: true, crew: assign(crew, rest) };
    },

    update(id: string, raw: unknown): Stored {
      const crew = crews.get(id);
      if (!crew) return { ok: false, status: 404, errors: [] };
      const parsed = CrewUpdateBody.safeParse(raw);
      if (!parsed.success) return { ok: false, status: 400, errors: zodErrors(parsed.error) };
      const errors = checked(parsed.data, crew);
      if (errors.length > 0) return { ok: false, status: 400, errors };
      return { ok: true, crew: assign(crew, parsed.data) };
    },

    /** The crews and the next id, as plain JSON (for a fake that keeps its state in a file). */
    dump: () => ({ crews: [...crews.values()].map((crew) => structuredClone(crew)), nextId }),
    load(saved: readonly Crew[], next: number) {
      crews.clear();
      for (const crew of saved) crews.set(crew.id, structuredClone(crew));
      nextId = next;
    },

    clear() {
      crews.clear();
      masters = defaultMasters();
      nextId = 1;
    },
  };
}

export type Store = ReturnType<typeof createStore>;

/**
 * Every value of the Jobcan API that is modelled rather than confirmed (docs/vendors.md), plus the
 * confirmed hosts they sit beside. Correct them here when the real API says otherwise: the client,
 * the mapper and the fake all read them from this module and repeat none of them.
 */
export const JOBCAN = {
  /** Confirmed. */
  hosts: {
    production: { api: 'https://api-kintai.jobcan.jp', auth: 'https://api-auth-kintai.jobcan.jp' },
    sandbox: {
      api: 'https://sandbox-api-kintai.jobcan.jp',
      auth: 'https://sandbox-api-auth-kintai.jobcan.jp',
    },
  },
  paths: {
    /** Confirmed. */
    token: '/oauth/token',
    /** Confirmed for reads; POST and PUT on it are modelled. */
    employees: '/master/v1/employees',
    workKinds: '/master/v1/work_kinds',
    groups: '/master/v1/groups',
  },
  /** Tokens are per scope (confirmed for `employees.read`). */
  scopes: {
    read: 'employees.read',
    create: 'employees.create',
    update: 'employees.update',
    workKinds: 'work_kinds.read',
    groups: 'groups.read',
  },
  /** Most records per page (`count`, confirmed). */
  maxPageSize: 100,
  /** Requests per client. */
  rateLimit: { limit: 10, intervalMs: 1000 },
  /** `status` of a staff member. */
  status: { employed: 0, onLeave: 1, retired: 2 },
  /** E-mail is required but never synced: a create gets `<社員番号>@<domain>` (confirmed: example.jp). */
  placeholderEmailDomain: 'example.jp',
  /** The fixed スタッフ種別 a staff member without one belongs to (confirmed). */
  unclassifiedWorkKind: '【未分類】',
  /** The スタッフ種別 a new Jobcan account starts with (confirmed). */
  defaultWorkKinds: ['パートタイマー', 'アルバイト', '契約社員', '社員', '派遣社員', '【未分類】'],
  /** スタッフコード: half-width letters, digits, `-` and `_`. */
  staffCode: /^[A-Za-z0-9_-]{1,50}$/,
  /** 電話番号: half-width digits, hyphens, parentheses, `+` and spaces. */
  tel: /^[0-9()+\- ]{1,20}$/,
  /** Lifetime of an access token. */
  tokenTtlSeconds: 3600,
} as const;

export type JobcanEnvironment = keyof typeof JOBCAN.hosts;
export type JobcanScope = (typeof JOBCAN.scopes)[keyof typeof JOBCAN.scopes];

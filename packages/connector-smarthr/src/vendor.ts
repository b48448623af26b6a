/**
 * Every fact about SmartHR's API in one place. Correct them here when the real API says
 * otherwise: the client, the mapper and the fake all read them from this module and repeat none.
 */
export const VENDOR = {
  baseUrl: 'https://api.smarthr.example/v1',
  paths: {
    employees: '/employees',
  },
  /** Most records per page (`count`); paging is by `last_id`, and a short page is the last. */
  maxPageSize: 100,
  /** Requests per client; more are refused with 429 and `Retry-After`. */
  rateLimit: { limit: 10, intervalMs: 1000 },
  /** 社員番号 as the vendor accepts it. */
  employeeCode: /^[A-Za-z0-9_-]{1,20}$/,
} as const;

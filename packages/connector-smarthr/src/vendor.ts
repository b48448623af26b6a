/**
 * Every fact about SmartHR's API in one place, each marked confirmed (SmartHR's developer docs and
 * public clients) or modelled (our reconstruction). Correct them here when the real API says
 * otherwise: the client, the mapper and the fake all read them from this module.
 */
export const VENDOR = {
  /** Confirmed: one host per tenant (サブドメイン); the sandbox lives on daruma.space. */
  hosts: { production: 'smarthr.jp', sandbox: 'daruma.space' },
  /** Confirmed: the API is under `/api` of the tenant's host. */
  basePath: '/api',
  paths: {
    /** Confirmed: GET (list, filters `emp_code` …), POST (201); `/{id}` GET / PATCH. */
    crews: '/v1/crews',
    /** Modelled: the masters a crew's 雇用形態, 部署 and 役職 point into (`{ id, name, code }`). */
    employmentTypes: '/v1/employment_types',
    departments: '/v1/departments',
    positions: '/v1/positions',
  },
  /** Confirmed: `per_page` ≤ 100; the next page is the `Link` header's `rel="next"`. */
  maxPageSize: 100,
  /**
   * Confirmed: 10 requests/s and 5,000/hour per access token. The hourly count is also sent as
   * `x-rate-limit-limit` / `-remaining` / `-reset` (epoch seconds); the client paces to those.
   */
  rateLimits: [
    { limit: 10, intervalMs: 1000 },
    { limit: 5000, intervalMs: 3_600_000 },
  ],
  /** Confirmed: `emp_status` values. */
  empStatus: ['employed', 'absent', 'retired'],
  /** Confirmed: `gender` is 戸籍上の性別, `male` or `female` (no third value). */
  gender: ['male', 'female'],
  /** Modelled: 預金種目 of `bank_accounts[].account_type`. */
  accountType: ['ordinary', 'checking', 'savings'],
  /** Modelled: error `code` / `type` pairs of the `{code,type,message,errors}` body (6 is confirmed). */
  errors: {
    badRequest: { status: 400, code: 3, type: 'bad_request' },
    unauthorized: { status: 401, code: 2, type: 'unauthorized' },
    notFound: { status: 404, code: 4, type: 'not_found' },
    tooManyRequests: { status: 429, code: 6, type: 'too_many_requests' },
    serviceUnavailable: { status: 503, code: 1, type: 'service_unavailable' },
  },
  /** Modelled: the `errors[].code` SmartHR gives an `emp_code` another crew already has. */
  takenCode: 'taken',
  /** Webhook events that mean "import again" (confirmed names; the token is in `X-SmartHR-Token`). */
  webhookEvents: ['crew_created', 'crew_updated'],
} as const;

/** A tenant is a host label: letters, digits and inner hyphens, at most 63 (so no other host is reachable). */
export const TENANT = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/i;

export type SmarthrEnvironment = keyof typeof VENDOR.hosts;

/** The API's base URL for a tenant. */
export const baseUrlOf = (tenant: string, environment: SmarthrEnvironment = 'production') =>
  `https://${tenant}.${VENDOR.hosts[environment]}${VENDOR.basePath}`;

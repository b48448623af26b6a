import type { ConnectorLimits, RateLimit } from '@renkei/core';

/**
 * Every PCA Web-API value that is *modelled* rather than confirmed (see docs/vendors.md) lives
 * here, so it can be corrected against the real API without touching the client, mapper or fake.
 * Field names of the entities are in api.ts; per-product values (product code, page size, bank
 * accounts) in each connector package's product.ts.
 */
export const PCA = {
  /** Confirmed: `https://{datacenter}.pcawebapi.jp/{version}/{ProductCode}/{Method}`. */
  datacenters: ['east02', 'west01'] as const,
  version: 'v1',
  host: (datacenter: string) => `https://${datacenter}.pcawebapi.jp`,

  /** Method paths below the product root. */
  paths: {
    token: 'Auth/Token',
    findDataArea: 'FindDataArea',
    selectDataArea: 'SelectDataArea',
    getLogOnDataArea: 'GetLogOnDataArea',
    logout: 'Logout',
    find: (entity: string) => `Find/${entity}`,
    findByCondition: (entity: string) => `FindByCondition/${entity}`,
    create: (entity: string) => `Create/${entity}`,
    modify: (entity: string) => `Modify/${entity}`,
  },

  /** Entity names (the `BE` prefix is added by the envelopes). */
  entities: {
    employee: 'MasterSyain',
    department: 'MasterBumon',
    jobTitle: 'MasterYakusyoku',
    employmentType: 'MasterKoyoKubun',
    dataArea: 'CommonDataArea',
  },

  paging: {
    snapshotHeader: 'X-PCA-Pagination-SnapshotId',
    totalHeader: 'X-PCA-Pagination-TotalListCount',
  },

  /** Confirmed: at most 10 records per write call. */
  writeBatchSize: 10,

  /** Confirmed lifetimes (access 60 min, refresh 30 days). */
  accessTokenTtlMs: 60 * 60_000,
  refreshTokenTtlMs: 30 * 24 * 60 * 60_000,

  /** Reported by a client: OAuth 10/min, writes 20/min, other calls 60/min. */
  rateLimits: [
    { limit: 10, intervalMs: 60_000, appliesTo: ['auth'] },
    { limit: 20, intervalMs: 60_000, appliesTo: ['write'] },
    { limit: 60, intervalMs: 60_000, appliesTo: ['read'] },
  ] satisfies RateLimit[],

  /** Vendor error codes. Token codes (WEBSV6001xx) are confirmed; the rest are modelled. */
  codes: {
    tokenExpired: 'WEBSV600100',
    tokenInvalid: 'WEBSV600101',
    refreshTokenInvalid: 'WEBSV600102',
    invalidCredentials: 'WEBSV600110',
    licenceExhausted: 'WEBSV600120',
    dataAreaNotSelected: 'WEBSV600201',
    dataAreaNotFound: 'WEBSV600202',
    snapshotNotFound: 'WEBSV600301',
    invalidRequest: 'WEBSV600400',
    tooManyRequests: 'WEBSV600429',
    serverError: 'WEBSV600500',
  },
  /** `WEBSV6001xx`: the token is the problem; refreshing or logging in again fixes it. */
  isTokenCode: (code: string | undefined): boolean => code !== undefined && /^WEBSV6001\d\d$/.test(code),

  /** HTTP statuses (modelled): token problems 401, validation 400, over the limits 429. */
  status: {
    token: 401,
    validation: 400,
    licence: 403,
    notFound: 404,
    tooManyRequests: 429,
  },

  /** Per-record write status inside a result array. */
  recordStatus: { success: 'Success', failure: 'Failure' } as const,

  /** Concurrent sessions a customer's licence allows (the fake's default). */
  concurrentSessions: 2,

  /** How long a Find snapshot stays readable. */
  snapshotTtlMs: 30 * 60_000,

  /** 社員コード: digits only, at most this many. */
  employeeCodeMaxLength: 10,
} as const;

/** The connector limits every PCA product declares: the engine paces itself to stay under them. */
export const PCA_LIMITS: ConnectorLimits = {
  rateLimits: PCA.rateLimits,
  concurrency: 1,
  writeBatchSize: PCA.writeBatchSize,
};

/** The product root every method path hangs off, e.g. `https://east02.pcawebapi.jp/v1/Kyu20`. */
export function productRoot(datacenter: string, productCode: string): string {
  return `${PCA.host(datacenter)}/${PCA.version}/${productCode}`;
}

import type { ConnectorLimits, RateLimit } from '@renkei/core';

/**
 * Every PCA Web-API value that is *modelled* rather than confirmed (see docs/vendors.md) lives
 * here, so it can be corrected against the real API without touching the client, mapper or fake.
 * Field names of the entities are in api.ts; per-product values (product code, page size, bank
 * accounts) in each connector package's product.ts.
 */
export const PCA = {
  /**
   * Confirmed: `https://{datacenter}.pcawebapi.jp/{version}/{ProductCode}/{Method}`. `east02` and
   * `west01` are the datacenters seen; others follow the same pattern, so the label is validated,
   * not chosen from a list.
   */
  datacentersSeen: ['east02', 'west01'] as const,
  datacenterLabel: /^[a-z][a-z0-9-]{0,30}[a-z0-9]$/,
  version: 'v1',
  host: (datacenter: string) => `https://${datacenter}.pcawebapi.jp`,

  /** Method paths below the product root. */
  paths: {
    token: 'Auth/Token',
    findDataArea: 'FindDataArea',
    selectDataArea: 'SelectDataArea',
    getLogOnDataArea: 'GetLogOnDataArea',
    logout: 'Logout',
    /** Modelled on 会計's `BEComp`: the 会社基本情報 of the selected data area's company. */
    company: 'Find/Comp',
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
    company: 'Comp',
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
  /**
   * Modelled (PCA publishes no figure): a login nobody uses for this long is ended by PCA and frees
   * its licence, as one never logged out does. Taken as twice the access token's confirmed lifetime,
   * so a login whose token lapsed can still refresh it, and on the safe side: the connector waits
   * this long after a login whose answer was lost before it logs in again. Correct it here once PCA
   * confirms its figure.
   */
  sessionTimeoutMs: 2 * 60 * 60_000,

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

  /** Per-record write status inside a result array (`Status` modelled, `InnerStatus` seen for 商魂). */
  recordStatus: { success: 'Success', failure: 'Failure' } as const,
  /**
   * The two write-answer shapes: the modelled one (HTTP 200, `ArrayOfBEResultOf{Entity}` with a
   * `Status` per record) and the one public code shows for 商魂 (`ArrayOfBE{Product}IntegrationResultOfBE{Entity}`
   * with `InnerStatus`, `ErrorMessage`, `Target`; a batch with a failed record answers non-200 with
   * the same list inside `BusinessValue`). Which one 給与 uses is not public: both are understood.
   */
  writeAnswers: {
    modelledResult: (entity: string) => `ResultOf${entity}`,
    integrationResult: (product: string, entity: string) => `${product}IntegrationResultOfBE${entity}`,
    businessValue: 'BusinessValue',
  },

  /** Concurrent sessions a customer's licence allows (the fake's default). */
  concurrentSessions: 2,

  /** How long a Find snapshot stays readable. */
  snapshotTtlMs: 30 * 60_000,

  /**
   * Confirmed (PCA's manual): 社員コード is 半角英数カナ, at most 桁数 characters, where 桁数 is a
   * company setting (会社基本情報) of 4 to 13, default 4. Whether codes are ０詰め is a separate
   * company setting.
   */
  employeeCode: {
    characters: /^[0-9A-Za-z\uFF66-\uFF9F]+$/,
    minWidth: 4,
    maxWidth: 13,
    defaultWidth: 4,
  },

  /**
   * Modelled on 会計's `BEComp` (`KmkCodeLength`, `KmkCodeFillZero`, `PreviousAreaName`): the
   * company's 社員コード桁数 and ０詰め as two fields. A company record without them leaves the
   * connection's own setting to decide; with neither, Renkei does not guess.
   */
  company: {
    codeLength: 'SyainCodeLength',
    codeFillZero: 'SyainCodeFillZero',
    previousArea: 'PreviousAreaName',
    fillZero: { on: '1', off: '0' },
  },

  /**
   * Confirmed: 姓 and 名 are separate fields of 全角10 (半角20) characters each; フリガナ 姓 and 名
   * separate 半角 fields of 20 each (used for 振込データ).
   */
  nameMaxUnits: 20,
  kanaMaxLength: 20,

  /**
   * Modelled: PCA's own retired state (退職区分). Confirmed only that a 退職者 may have no 退職日,
   * so the state cannot be derived from the date.
   */
  retireKubun: { employed: 0, retired: 1 },
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

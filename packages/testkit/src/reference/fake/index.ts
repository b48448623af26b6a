import { type Clock, createVirtualClock, type FieldKey } from '@renkei/core';
import { HttpResponse, type RequestHandler } from 'msw';
import type { FakeOptions, FakeVendor } from '../../fake.ts';
import type { RequestFacts } from '../../faults.ts';
import { bearerToken, createFakeGateway, createTokenStore, type GatewayCall } from '../../gateway.ts';
import { MAX_BATCH_OPERATIONS, MAX_PAGE_SIZE, REFERENCE_BASE_URL } from '../api.ts';
import { CANONICAL_FIELD, toListedEmployee, toVendorRecord } from '../mapper.ts';
import { type AreaInfo, createVendorStore } from './store.ts';

export interface ReferenceFakeOptions extends FakeOptions {
  baseUrl?: string;
  areas?: readonly AreaInfo[];
  /** Client credentials the token endpoint accepts. */
  clients?: readonly { clientId: string; clientSecret: string }[];
  tokenTtlSeconds?: number;
  /** Requests per `rateIntervalMs` the vendor accepts; more are refused with 429. */
  rateLimit?: number;
  rateIntervalMs?: number;
  defaultPageSize?: number;
}

export interface ReferenceFake extends FakeVendor {
  /** Stores a record with an impossible 生年月日. */
  seedInvalid(area: string, employeeCode: string): void;
  /** Tokens issued so far (a refresh shows as a second one). */
  readonly tokensIssued: number;
}

export const REFERENCE_AREAS: readonly AreaInfo[] = [
  { id: 'head-office', name: '本社' },
  { id: 'factory', name: '第一工場' },
];
export const REFERENCE_CLIENT = { clientId: 'renkei-test-client', clientSecret: 'test-secret-not-real' };

/**
 * The reference vendor as a stateful MSW fake: it checks every request the way the vendor would
 * (token, area, paging, batch size and per-record rules, rate limit and Retry-After) and renders
 * injected faults the vendor's way. Time is the fake's clock.
 */
export function createReferenceFake(options: ReferenceFakeOptions = {}): ReferenceFake {
  const clock: Clock = options.clock ?? createVirtualClock();
  const base = options.baseUrl ?? REFERENCE_BASE_URL;
  const areas = options.areas ?? REFERENCE_AREAS;
  const clients = options.clients ?? [REFERENCE_CLIENT];
  const ttlMs = (options.tokenTtlSeconds ?? 3600) * 1000;
  const rateLimit = options.rateLimit ?? 10;
  const rateIntervalMs = options.rateIntervalMs ?? 1000;
  const pageSize = options.defaultPageSize ?? 50;

  const store = createVendorStore(areas, () => clock.now());
  const tokens = createTokenStore<true>(clock);
  let tokensIssued = 0;
  let writtenFields = new Set<FieldKey>();

  const json = (status: number, body: unknown, headers?: Record<string, string>) =>
    HttpResponse.json(body as Record<string, unknown>, { status, ...(headers ? { headers } : {}) });
  const vendorError = (status: number, error: string, message?: string, headers?: Record<string, string>) =>
    json(status, { error, ...(message ? { message } : {}) }, headers);

  const gateway = createFakeGateway({
    clock,
    rateLimits: [{ limit: rateLimit, intervalMs: rateIntervalMs }],
    answers: {
      tooManyRequests: (retryAfterSeconds, status) =>
        vendorError(status, 'rate_limited', 'リクエストが多すぎます。', {
          'Retry-After': String(retryAfterSeconds),
        }),
      serverError: (status) => vendorError(status, 'server_error', 'サーバーエラーが発生しました。'),
      expiredToken(request) {
        tokens.revoke(bearerToken(request) ?? '');
        return vendorError(401, 'token_expired', 'アクセストークンの有効期限が切れています。');
      },
      malformedBody: () => json(200, { data: '<html>maintenance</html>' }),
    },
  });

  /** Every call but the token endpoint carries a bearer token the vendor issued and that has not expired. */
  const authorise = (request: Request) => () => {
    const verified = tokens.verify(request);
    if (verified.ok) return undefined;
    return verified.problem === 'expired'
      ? vendorError(401, 'token_expired', 'アクセストークンの有効期限が切れています。')
      : vendorError(401, 'invalid_token', 'アクセストークンが無効です。');
  };

  const route = (
    method: 'get' | 'post',
    path: string,
    facts: (request: Request, params: Record<string, string>) => Promise<RequestFacts>,
    handle: (request: Request, params: Record<string, string>) => Promise<Response>,
  ): RequestHandler => gateway.route(method, `${base}${path}`, facts, handle);

  const noFacts =
    (scope: RequestFacts['scope']) =>
    async (request: Request): Promise<GatewayCall> =>
      scope === 'auth' ? { scope } : { scope, authorise: authorise(request) };

  const handlers: RequestHandler[] = [
    route('post', '/oauth/token', noFacts('auth'), async (request) => {
      const body = await readBody(request);
      const client = clients.find(
        (candidate) => candidate.clientId === body.client_id && candidate.clientSecret === body.client_secret,
      );
      if (body.grant_type !== 'client_credentials') {
        return vendorError(400, 'unsupported_grant_type', 'grant_type は client_credentials です。');
      }
      if (!client)
        return vendorError(401, 'invalid_client', 'クライアントIDまたはシークレットが正しくありません。');
      tokensIssued++;
      const token = `tok_${tokensIssued}_${Math.floor(clock.now())}`;
      tokens.issue(token, true, ttlMs);
      return json(200, { access_token: token, token_type: 'Bearer', expires_in: ttlMs / 1000 });
    }),

    route('get', '/areas', noFacts('read'), async () =>
      json(200, { areas: areas.map((area) => ({ id: area.id, name: area.name })) }),
    ),

    route(
      'get',
      '/areas/:area/employees',
      async (request) => ({
        scope: 'read',
        employeeCodes: new URL(request.url).searchParams.getAll('code'),
        authorise: authorise(request),
      }),
      async (request, params) => {
        const areaId = params.area as string;
        if (!store.area(areaId)) return vendorError(404, 'area_not_found', 'データ領域が見つかりません。');
        const query = new URL(request.url).searchParams;
        const codes = query.getAll('code');
        const limit = Number(query.get('limit') ?? pageSize);
        if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE_SIZE || codes.length > MAX_PAGE_SIZE) {
          return vendorError(400, 'bad_request', `limit と code は${MAX_PAGE_SIZE}件までです。`);
        }
        let records = store.list(areaId);
        if (codes.length > 0) records = records.filter((record) => codes.includes(record.code));
        const cursor = query.get('cursor');
        if (cursor !== null) {
          const after = decodeCursor(cursor);
          if (after === undefined) return vendorError(400, 'invalid_cursor', 'カーソルが正しくありません。');
          records = records.filter((record) => record.id > after);
        }
        const page = records.slice(0, limit);
        const last = page[page.length - 1];
        const more = records.length > limit && last !== undefined;
        return json(200, { employees: page, next_cursor: more ? encodeCursor(last.id) : null });
      },
    ),

    route(
      'post',
      '/areas/:area/employees/batch',
      async (request) => ({
        scope: 'write',
        employeeCodes: operationCodes(await readBody(request)),
        authorise: authorise(request),
      }),
      async (request, params) => {
        const areaId = params.area as string;
        if (!store.area(areaId)) return vendorError(404, 'area_not_found', 'データ領域が見つかりません。');
        const body = await readBody(request);
        const operations: unknown = body.operations;
        if (!Array.isArray(operations) || operations.length === 0) {
          return vendorError(400, 'bad_request', 'operations を1件以上指定してください。');
        }
        if (operations.length > MAX_BATCH_OPERATIONS) {
          return vendorError(
            400,
            'too_many_operations',
            `一度に登録できるのは${MAX_BATCH_OPERATIONS}件までです。`,
          );
        }
        for (const operation of operations) noteWrittenFields(operation);
        return json(200, {
          results: operations.map((operation, index) => store.applyOperation(areaId, index, operation)),
        });
      },
    ),
  ];

  const noteWrittenFields = (operation: unknown) => {
    const { employee, changes } = (operation ?? {}) as { employee?: object; changes?: object };
    for (const key of Object.keys(employee ?? changes ?? {})) {
      const field = CANONICAL_FIELD[key as keyof typeof CANONICAL_FIELD];
      if (field) writtenFields.add(field);
    }
  };

  return {
    handlers,
    faults: gateway.faults,
    clock,
    get requests() {
      return gateway.requests;
    },
    get overLimitCount() {
      return gateway.overLimitCount;
    },
    get tokensIssued() {
      return tokensIssued;
    },
    dataAreas: () => areas.map((area) => area.id),
    seed(area, employees) {
      if (!store.area(area)) throw new Error(`reference fake: unknown area ${area}`);
      for (const employee of employees) store.insert(area, toVendorRecord(employee));
    },
    seedInvalid(area, employeeCode) {
      const employee = toVendorRecord({ employeeCode, lastName: '不正', firstName: '日付' });
      store.insert(area, { ...employee, birth_date: '1990-02-30' });
    },
    records(area) {
      return store.list(area).flatMap((record) => {
        const listed = toListedEmployee(record);
        return listed.ok ? [listed.employee] : [];
      });
    },
    writtenFields: () => writtenFields,
    reset() {
      store.clear();
      gateway.reset();
      tokens.clear();
      writtenFields = new Set();
    },
  };
}

async function readBody(request: Request): Promise<Record<string, unknown>> {
  const type = request.headers.get('content-type') ?? '';
  try {
    if (type.includes('application/x-www-form-urlencoded')) {
      return Object.fromEntries(new URLSearchParams(await request.text()));
    }
    const body: unknown = await request.json();
    return body !== null && typeof body === 'object' ? (body as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

function operationCodes(body: Record<string, unknown>): string[] {
  if (!Array.isArray(body.operations)) return [];
  return body.operations.flatMap((operation: { code?: unknown; employee?: { code?: unknown } }) => {
    const code = operation?.code ?? operation?.employee?.code;
    return typeof code === 'string' ? [code] : [];
  });
}

const encodeCursor = (id: string) => Buffer.from(JSON.stringify({ after: id })).toString('base64url');
function decodeCursor(cursor: string): string | undefined {
  try {
    const decoded: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    const after = (decoded as { after?: unknown })?.after;
    return typeof after === 'string' ? after : undefined;
  } catch {
    return undefined;
  }
}

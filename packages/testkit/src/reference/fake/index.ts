import { type Clock, createVirtualClock, type FieldKey } from '@renkei/core';
import { HttpResponse, http, type RequestHandler } from 'msw';
import type { FakeOptions, FakeRequestRecord, FakeVendor } from '../../fake.ts';
import { createFaultInjector, type Fault, type RequestFacts } from '../../faults.ts';
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

type Handle = (request: Request, params: Record<string, string>) => Promise<Response>;

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
  const faults = createFaultInjector();
  const tokens = new Map<string, number>();
  let tokensIssued = 0;
  let requests: FakeRequestRecord[] = [];
  let overLimitCount = 0;
  /** The Retry-After window the vendor last asked for: requests after `from` and before `until` are refused. */
  let block = { from: 0, until: Number.NEGATIVE_INFINITY };
  let writtenFields = new Set<FieldKey>();

  const json = (status: number, body: unknown, headers?: Record<string, string>) =>
    HttpResponse.json(body as Record<string, unknown>, { status, ...(headers ? { headers } : {}) });
  const vendorError = (status: number, error: string, message?: string, headers?: Record<string, string>) =>
    json(status, { error, ...(message ? { message } : {}) }, headers);

  /** Over the vendor's limit now: within a Retry-After it gave, or too many in the window. */
  const overLimit = (now: number) =>
    (now > block.from && now < block.until) ||
    requests.filter((record) => record.status !== 429 && record.time > now - rateIntervalMs).length >=
      rateLimit;

  const renderFault = (fault: Fault) => {
    switch (fault.kind) {
      case 'rate_limit':
        block = { from: clock.now(), until: clock.now() + fault.retryAfterSeconds * 1000 };
        return vendorError(429, 'rate_limited', 'リクエストが多すぎます。', {
          'Retry-After': String(fault.retryAfterSeconds),
        });
      case 'server_error':
        return vendorError(fault.status, 'server_error', 'サーバーエラーが発生しました。');
      case 'network_error':
        return HttpResponse.error();
      case 'malformed_body':
        return json(200, { data: '<html>maintenance</html>' });
      case 'expired_token':
        return vendorError(401, 'token_expired', 'アクセストークンの有効期限が切れています。');
      default:
        return undefined;
    }
  };

  /** Common front door: rate limit, faults, auth, then the route itself; every answer is logged. */
  const route = (
    method: 'get' | 'post',
    path: string,
    requestClass: FakeRequestRecord['requestClass'],
    facts: (request: Request, params: Record<string, string>) => Promise<RequestFacts>,
    handle: Handle,
  ): RequestHandler =>
    http[method](`${base}${path}`, async ({ request, params }) => {
      // Limits count requests when they arrive, as the vendor's gateway does.
      const time = clock.now();
      const response = await answer(request, params as Record<string, string>, requestClass, facts, handle);
      requests.push({
        method: request.method,
        url: request.url,
        requestClass,
        time,
        status: response.type === 'error' ? 0 : response.status,
      });
      return response;
    });

  const answer = async (
    request: Request,
    params: Record<string, string>,
    requestClass: FakeRequestRecord['requestClass'],
    facts: (request: Request, params: Record<string, string>) => Promise<RequestFacts>,
    handle: Handle,
  ): Promise<Response> => {
    if (overLimit(clock.now())) {
      overLimitCount++;
      return vendorError(429, 'rate_limited', 'リクエストが多すぎます。', {
        'Retry-After': String(Math.max(1, Math.ceil((block.until - clock.now()) / 1000))),
      });
    }
    const fault = faults.take(await facts(request.clone(), params));
    if (fault?.kind === 'delay') await clock.sleep(fault.delayMs);
    if (fault && !ANSWER_LOST_AFTER_WORK.has(fault.kind) && fault.kind !== 'delay') {
      if (fault.kind === 'expired_token') tokens.delete(bearer(request) ?? '');
      if (fault.kind !== 'malformed_body' || requestClass !== 'write') return renderFault(fault) as Response;
    }
    if (requestClass !== 'auth') {
      const token = bearer(request);
      const expiresAt = token === undefined ? undefined : tokens.get(token);
      if (expiresAt === undefined) return vendorError(401, 'invalid_token', 'アクセストークンが無効です。');
      if (clock.now() >= expiresAt) {
        tokens.delete(token as string);
        return vendorError(401, 'token_expired', 'アクセストークンの有効期限が切れています。');
      }
    }
    if (fault?.kind === 'late_commit') {
      // The client is told nothing; the vendor does the work later, after the client gave up.
      const later = request.clone();
      void clock.sleep(fault.delayMs).then(() => handle(later, params));
      return HttpResponse.error();
    }
    const response = await handle(request, params);
    // The vendor did the work; only the answer is lost or garbled.
    if (fault?.kind === 'timeout_after_commit' || fault?.kind === 'lost_auth_answer')
      return HttpResponse.error();
    if (fault?.kind === 'malformed_body') return renderFault(fault) as Response;
    return response;
  };

  const noFacts = (scope: RequestFacts['scope']) => async (): Promise<RequestFacts> => ({ scope });

  const handlers: RequestHandler[] = [
    route('post', '/oauth/token', 'auth', noFacts('auth'), async (request) => {
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
      tokens.set(token, clock.now() + ttlMs);
      return json(200, { access_token: token, token_type: 'Bearer', expires_in: ttlMs / 1000 });
    }),

    route('get', '/areas', 'read', noFacts('read'), async () =>
      json(200, { areas: areas.map((area) => ({ id: area.id, name: area.name })) }),
    ),

    route(
      'get',
      '/areas/:area/employees',
      'read',
      async (request) => ({ scope: 'read', employeeCodes: new URL(request.url).searchParams.getAll('code') }),
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
      'write',
      async (request) => ({ scope: 'write', employeeCodes: operationCodes(await readBody(request)) }),
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
    faults,
    clock,
    get requests() {
      return requests;
    },
    get overLimitCount() {
      return overLimitCount;
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
      faults.clear();
      tokens.clear();
      requests = [];
      overLimitCount = 0;
      block = { from: 0, until: Number.NEGATIVE_INFINITY };
      writtenFields = new Set();
    },
  };
}

/** Faults whose request is worked (now or later) although its answer never arrives. */
const ANSWER_LOST_AFTER_WORK: ReadonlySet<Fault['kind']> = new Set([
  'timeout_after_commit',
  'late_commit',
  'lost_auth_answer',
]);

const bearer = (request: Request) => request.headers.get('authorization')?.match(/^Bearer (.+)$/)?.[1];

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

import {
  type Clock,
  type Employee,
  FIELD_KEYS,
  type FieldKey,
  IMPLICIT_DATA_AREA,
  systemClock,
} from '@renkei/core';
import {
  createFaultInjector,
  type FakeRequestRecord,
  type FakeVendor,
  type Fault,
  type RequestFacts,
} from '@renkei/testkit';
import { HttpResponse, http, type RequestHandler } from 'msw';
import type { Credentials } from '../auth.ts';
import { canonicalFieldsOf, toListedEmployee, toVendorBody } from '../mapper.ts';
import { VENDOR } from '../vendor.ts';
import { createStore } from './store.ts';

/** The credentials the fake accepts by default (fictional: never a real token). */
export const FAKE_CREDENTIALS: Credentials = { apiToken: 'fake-smarthr-api-token' };

export interface SmarthrFakeOptions {
  clock?: Clock;
  baseUrl?: string;
  /** The credentials the fake accepts. */
  credentials?: Credentials;
}

export interface SmarthrFake extends FakeVendor {
  /** The credentials this fake accepts (for the demo's 連携設定). */
  readonly credentials: Credentials;
}

/**
 * SmartHR as a stateful MSW fake: it checks every request the way the vendor would (token,
 * paging, per-record rules, rate limit and Retry-After) and renders injected faults the vendor's way.
 */
export function createSmarthrFake(options: SmarthrFakeOptions = {}): SmarthrFake {
  // Real time by default (the demo); tests pass the virtual clock their connector runs on.
  const clock = options.clock ?? systemClock;
  const base = options.baseUrl ?? VENDOR.baseUrl;
  const credentials = options.credentials ?? FAKE_CREDENTIALS;
  const store = createStore([IMPLICIT_DATA_AREA.id]);
  const faults = createFaultInjector();
  let requests: FakeRequestRecord[] = [];
  let overLimitCount = 0;
  /** The Retry-After window the vendor last gave: requests after `from` and before `until` are refused. */
  let block = { from: 0, until: Number.NEGATIVE_INFINITY };
  let writtenFields = new Set<FieldKey>();

  const refuse = (status: number, error: string, message: string, headers?: Record<string, string>) =>
    HttpResponse.json({ error, message }, { status, ...(headers ? { headers } : {}) });

  const overLimit = (now: number) =>
    (now > block.from && now < block.until) ||
    requests.filter((record) => record.status !== 429 && record.time > now - VENDOR.rateLimit.intervalMs)
      .length >= VENDOR.rateLimit.limit;

  const render = (fault: Fault): Response => {
    switch (fault.kind) {
      case 'rate_limit':
        block = { from: clock.now(), until: clock.now() + fault.retryAfterSeconds * 1000 };
        return refuse(429, 'too_many_requests', 'リクエストが多すぎます。', {
          'Retry-After': String(fault.retryAfterSeconds),
        });
      case 'server_error':
        return refuse(fault.status, 'server_error', 'サーバーエラーが発生しました。');
      case 'expired_token':
        return refuse(401, 'invalid_token', 'アクセストークンの有効期限が切れています。');
      case 'malformed_body':
        return HttpResponse.json({ data: '<html>maintenance</html>' });
      default:
        return HttpResponse.error();
    }
  };

  const bearer = (request: Request) => request.headers.get('authorization')?.match(/^Bearer (.+)$/)?.[1];
  const authorised = (request: Request) => bearer(request) === credentials.apiToken;

  type Handle = (request: Request, params: Record<string, string>) => Promise<Response>;

  /** The vendor's front door: rate limit, faults, auth, then the route itself; every answer is logged. */
  const route = (
    method: 'get' | 'post' | 'patch',
    path: string,
    requestClass: FakeRequestRecord['requestClass'],
    facts: (request: Request, params: Record<string, string>) => Promise<RequestFacts>,
    handle: Handle,
  ): RequestHandler =>
    http[method](`${base}${path}`, async ({ request, params }) => {
      const response = await answer(request, params as Record<string, string>, requestClass, facts, handle);
      const status = response.type === 'error' ? 0 : response.status;
      requests.push({ method: request.method, url: request.url, requestClass, time: clock.now(), status });
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
      const wait = Math.max(1, Math.ceil((block.until - clock.now()) / 1000));
      return refuse(429, 'too_many_requests', 'リクエストが多すぎます。', { 'Retry-After': String(wait) });
    }
    const fault = faults.take(await facts(request.clone(), params));
    if (fault?.kind === 'delay') await clock.sleep(fault.delayMs);
    // A garbled or lost answer to a write comes after the vendor did the work.
    const afterCommit =
      fault?.kind === 'timeout_after_commit' ||
      (fault?.kind === 'malformed_body' && requestClass === 'write');
    if (fault && fault.kind !== 'delay' && !afterCommit) return render(fault);
    if (requestClass !== 'auth' && !authorised(request)) {
      return refuse(401, 'invalid_token', 'アクセストークンが無効です。');
    }
    const response = await handle(request, params);
    return fault && afterCommit ? render(fault) : response;
  };

  const read = async (): Promise<RequestFacts> => ({ scope: 'read' });
  const byCode =
    (scope: 'read' | 'write') =>
    async (_request: Request, params: Record<string, string>): Promise<RequestFacts> => ({
      scope,
      employeeCodes: [params.code ?? ''],
    });
  const createFacts = async (request: Request): Promise<RequestFacts> => {
    const body = (await request.json().catch(() => ({}))) as { code?: unknown };
    return { scope: 'write', employeeCodes: typeof body.code === 'string' ? [body.code] : [] };
  };

  const employees = VENDOR.paths.employees;
  const areaOf = (_params: Record<string, string>) => IMPLICIT_DATA_AREA.id;
  const areaMissing = () => refuse(404, 'not_found', 'データ領域が見つかりません。');
  const bodyOf = (request: Request) => request.json().catch(() => undefined);
  const noteWritten = (body: unknown) => {
    for (const field of canonicalFieldsOf(body ?? {})) writtenFields.add(field);
  };

  const handlers: RequestHandler[] = [
    route('get', employees, 'read', read, async (request, params) => {
      if (!store.has(areaOf(params))) return areaMissing();
      const query = new URL(request.url).searchParams;
      const count = Number(query.get('count') ?? VENDOR.maxPageSize);
      const lastId = Number(query.get('last_id') ?? 0);
      if (!Number.isInteger(count) || count < 1 || count > VENDOR.maxPageSize || !Number.isInteger(lastId)) {
        return refuse(
          400,
          'invalid_request',
          `count は1〜${VENDOR.maxPageSize}、last_id は整数で指定してください。`,
        );
      }
      const page = store.list(areaOf(params)).filter((employee) => employee.id > lastId);
      return HttpResponse.json({ employees: page.slice(0, count) });
    }),

    route('get', `${employees}/:code`, 'read', byCode('read'), async (_request, params) => {
      const employee = store.get(areaOf(params), params.code ?? '');
      return employee
        ? HttpResponse.json({ employee })
        : refuse(404, 'not_found', '社員番号が見つかりません。');
    }),

    route('post', employees, 'write', createFacts, async (request, params) => {
      if (!store.has(areaOf(params))) return areaMissing();
      const body = await bodyOf(request);
      noteWritten(body);
      const stored = store.create(areaOf(params), body);
      if (!stored.ok) return refuse(stored.refusal.status, stored.refusal.error, stored.refusal.message);
      return HttpResponse.json({ employee: stored.employee }, { status: 201 });
    }),

    route('patch', `${employees}/:code`, 'write', byCode('write'), async (request, params) => {
      const body = await bodyOf(request);
      noteWritten(body);
      const stored = store.update(areaOf(params), params.code ?? '', body);
      if (!stored.ok) return refuse(stored.refusal.status, stored.refusal.error, stored.refusal.message);
      return HttpResponse.json({ employee: stored.employee });
    }),
  ];

  return {
    handlers,
    faults,
    clock,
    credentials,
    get requests() {
      return requests;
    },
    get overLimitCount() {
      return overLimitCount;
    },
    dataAreas: () => [IMPLICIT_DATA_AREA.id],
    seed(area: string, employees: readonly Employee[]) {
      if (!store.has(area)) throw new Error(`smarthr fake: unknown data area ${area}`);
      for (const employee of employees) {
        const body = { ...toVendorBody(employee, FIELD_KEYS), code: employee.employeeCode };
        const stored = store.add(area, body);
        if (!stored.ok)
          throw new Error(`smarthr fake: cannot seed ${employee.employeeCode}: ${stored.refusal.message}`);
      }
    },
    seedInvalid(area: string, employeeCode: string) {
      // Past the vendor's checks, as a record written by an older version of its API might be.
      store.insert(area, { code: employeeCode, last_name: '不正', birth_date: '1990-02-30' });
    },
    records(area: string) {
      return store.list(area).flatMap((record) => {
        const listed = toListedEmployee(record);
        return listed.ok ? [listed.employee] : [];
      });
    },
    writtenFields: () => writtenFields,
    reset() {
      store.clear();
      faults.clear();
      requests = [];
      overLimitCount = 0;
      block = { from: 0, until: Number.NEGATIVE_INFINITY };
      writtenFields = new Set();
    },
  };
}

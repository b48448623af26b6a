import { type Clock, type Employee, type FieldKey, IMPLICIT_DATA_AREA, systemClock } from '@renkei/core';
import {
  createFaultInjector,
  type FakeRequestRecord,
  type FakeVendor,
  type Fault,
  type RequestFacts,
} from '@renkei/testkit/fakes';
import { HttpResponse, http, type RequestHandler } from 'msw';
import { type Credentials, ENVIRONMENTS } from '../auth.ts';
import { WRITABLE } from '../connector.ts';
import { canonicalFieldsOf, toCrewBody, toListedEmployee, withEmployeeCode } from '../mapper.ts';
import { baseUrlOf, VENDOR } from '../vendor.ts';
import { createStore, type FieldError } from './store.ts';

/** The credentials the fake accepts by default (fictional: never a real token). */
export const FAKE_CREDENTIALS: Credentials = {
  tenant: 'renkei-demo',
  environment: '本番',
  apiToken: 'fake-smarthr-access-token',
  webhookToken: 'fake-smarthr-webhook-token',
};

export interface SmarthrFakeOptions {
  clock?: Clock;
  /** The credentials (tenant, 環境 and token) the fake accepts. */
  credentials?: Credentials;
  /** Requests per hour per token (SmartHR's 5,000); lower it to see the client pace to the headers. */
  hourlyLimit?: number;
}

export interface SmarthrFake extends FakeVendor {
  /** The credentials this fake accepts (for the demo's 連携設定). */
  readonly credentials: Credentials;
  /** The base URL it answers on: the tenant's host. */
  readonly baseUrl: string;
}

const HOUR_MS = 3_600_000;
const { badRequest, unauthorized, notFound, tooManyRequests, serviceUnavailable } = VENDOR.errors;
type ErrorKind = (typeof VENDOR.errors)[keyof typeof VENDOR.errors];

/** SmartHR's error body `{code, type, message, errors}` with its status. */
const refuse = (
  kind: ErrorKind,
  message: string,
  errors: FieldError[] = [],
  headers: Record<string, string> = {},
) =>
  HttpResponse.json({ code: kind.code, type: kind.type, message, errors }, { status: kind.status, headers });

/**
 * SmartHR as a stateful MSW fake on one tenant's host: it checks every request the way SmartHR would
 * (bearer token, `page`/`per_page`, the crew's rules and masters, unique `emp_code`), counts requests
 * per second and per hour with `x-rate-limit-*` headers on every answer, and renders injected faults
 * SmartHR's way.
 */
export function createSmarthrFake(options: SmarthrFakeOptions = {}): SmarthrFake {
  // Real time by default (the demo); tests pass the virtual clock their connector runs on.
  const clock = options.clock ?? systemClock;
  const credentials = options.credentials ?? FAKE_CREDENTIALS;
  const base = baseUrlOf(credentials.tenant, ENVIRONMENTS[credentials.environment]);
  const hourlyLimit = options.hourlyLimit ?? (VENDOR.rateLimits[1].limit as number);
  const store = createStore();
  const faults = createFaultInjector();
  let requests: FakeRequestRecord[] = [];
  let overLimitCount = 0;
  /** The wait the fake's last 429 asked for: requests sent after `from` and before `until` are refused. */
  let block = { from: 0, until: Number.NEGATIVE_INFINITY };
  let writtenFields = new Set<FieldKey>();

  const counted = (since: number) =>
    requests.filter((record) => record.status !== 429 && record.time >= since);
  /** The hour window SmartHR counts in, and the `x-rate-limit-*` headers describing it. */
  const rateHeaders = (now: number, extra = 0) => {
    const start = Math.floor(now / HOUR_MS) * HOUR_MS;
    const used = counted(start).length + extra;
    return {
      'x-rate-limit-limit': String(hourlyLimit),
      'x-rate-limit-remaining': String(Math.max(0, hourlyLimit - used)),
      'x-rate-limit-reset': String((start + HOUR_MS) / 1000),
    };
  };
  const tooMany = (headers: Record<string, string>) =>
    refuse(
      tooManyRequests,
      'リクエスト数が上限に達しました。しばらくしてから再度お試しください。',
      [],
      headers,
    );

  /** A 429 whose headers say nothing is left until the block ends (no Retry-After: the reset says it). */
  const blocked = (now: number) =>
    tooMany({
      ...rateHeaders(now),
      'x-rate-limit-remaining': '0',
      'x-rate-limit-reset': String(Math.ceil(block.until / 1000)),
    });

  /** Why a request is over SmartHR's limits now, as its 429 — or undefined. */
  const overLimit = (now: number): Response | undefined => {
    if (now > block.from && now < block.until) return blocked(now);
    const hour = rateHeaders(now);
    if (hour['x-rate-limit-remaining'] === '0') return tooMany(hour);
    const lastSecond = counted(now - 999);
    if (lastSecond.length >= VENDOR.rateLimits[0].limit) {
      const freeAt = (lastSecond[0]?.time ?? now) + 1000;
      return tooMany({ ...hour, 'Retry-After': String(Math.max(1, Math.ceil((freeAt - now) / 1000))) });
    }
    return undefined;
  };

  const render = (fault: Fault): Response => {
    switch (fault.kind) {
      case 'rate_limit':
        block = { from: clock.now(), until: clock.now() + fault.retryAfterSeconds * 1000 };
        return blocked(clock.now());
      case 'server_error':
        return refuse(
          { ...serviceUnavailable, status: fault.status as 503 },
          'サーバーで問題が発生しました。',
        );
      case 'expired_token':
        return refuse(unauthorized, 'アクセストークンが無効です。');
      case 'malformed_body':
        return HttpResponse.json({ data: '<html>maintenance</html>' });
      default:
        return HttpResponse.error();
    }
  };

  type Handle = (request: Request, params: Record<string, string>) => Promise<Response>;
  type Facts = (url: URL, params: Record<string, string>, body: unknown) => RequestFacts;

  /** SmartHR's front door: limits, faults, the token, then the route; every answer is logged. */
  const route = (
    method: 'get' | 'post' | 'patch',
    path: string,
    facts: Facts,
    handle: Handle,
  ): RequestHandler =>
    http[method](`${base}${path}`, async ({ request, params }) => {
      const requestClass = method === 'get' ? 'read' : 'write';
      const now = clock.now();
      let response = overLimit(now);
      if (response) overLimitCount++;
      else {
        const body =
          method === 'get'
            ? undefined
            : await request
                .clone()
                .json()
                .catch(() => undefined);
        response = await answer(request, params as Record<string, string>, body, facts, handle);
        if (response.type !== 'error' && !response.headers.has('x-rate-limit-limit')) {
          for (const [name, value] of Object.entries(rateHeaders(now, 1))) response.headers.set(name, value);
        }
      }
      const status = response.type === 'error' ? 0 : response.status;
      requests.push({ method: request.method, url: request.url, requestClass, time: now, status });
      return response;
    });

  const answer = async (
    request: Request,
    params: Record<string, string>,
    body: unknown,
    facts: Facts,
    handle: Handle,
  ): Promise<Response> => {
    const fault = faults.take(facts(new URL(request.url), params, body));
    if (fault?.kind === 'delay') await clock.sleep(fault.delayMs);
    const afterCommit =
      fault?.kind === 'timeout_after_commit' ||
      (fault?.kind === 'malformed_body' && request.method !== 'GET');
    if (fault && fault.kind !== 'delay' && !afterCommit) return render(fault);
    if (request.headers.get('authorization') !== `Bearer ${credentials.apiToken}`) {
      return refuse(unauthorized, 'アクセストークンが無効です。');
    }
    if (body !== undefined) for (const field of canonicalFieldsOf(body ?? {})) writtenFields.add(field);
    const response = await handle(request, params);
    return fault && afterCommit ? render(fault) : response;
  };

  // What a request is about, for faults aimed at some 社員番号.
  const listFacts: Facts = (url) => {
    const code = url.searchParams.get('emp_code');
    return { scope: 'read', ...(code ? { employeeCodes: [code] } : {}) };
  };
  const createFacts: Facts = (_url, _params, body) => {
    const code = (body as { emp_code?: unknown } | undefined)?.emp_code;
    return { scope: 'write', employeeCodes: typeof code === 'string' ? [code] : [] };
  };
  const crewFacts =
    (scope: 'read' | 'write'): Facts =>
    (_url, params) => {
      const code = store.get(params.id ?? '')?.emp_code;
      return { scope, employeeCodes: code ? [code] : [] };
    };
  const bodyOf = (request: Request) => request.json().catch(() => undefined) as Promise<unknown>;

  /** A page of `items` as SmartHR answers it: `Link` to the next page and `x-total-count`. */
  const paged = <T>(request: Request, items: readonly T[]): Response => {
    const url = new URL(request.url);
    const page = Number(url.searchParams.get('page') ?? 1);
    const perPage = Number(url.searchParams.get('per_page') ?? 10);
    if (
      !Number.isInteger(page) ||
      page < 1 ||
      !Number.isInteger(perPage) ||
      perPage < 1 ||
      perPage > VENDOR.maxPageSize
    ) {
      const errors = [{ field: 'per_page', message: `は1〜${VENDOR.maxPageSize}で指定してください` }];
      return refuse(badRequest, 'パラメータが不正です。', errors);
    }
    const headers: Record<string, string> = { 'x-total-count': String(items.length) };
    if (page * perPage < items.length) {
      url.searchParams.set('page', String(page + 1));
      headers.link = `<${url}>; rel="next"`;
    }
    return HttpResponse.json(items.slice((page - 1) * perPage, page * perPage), { headers });
  };

  const stored = (result: ReturnType<typeof store.create>, status = 200) => {
    if (result.ok) return HttpResponse.json(result.crew, { status });
    if (result.status === 404) return refuse(notFound, '従業員が見つかりません。');
    return refuse(badRequest, '入力内容に誤りがあります。', result.errors);
  };

  const masters = store.masters;
  const handlers: RequestHandler[] = [
    route('get', VENDOR.paths.crews, listFacts, async (request) =>
      paged(request, store.list(new URL(request.url).searchParams.get('emp_code'))),
    ),
    route('get', `${VENDOR.paths.crews}/:id`, crewFacts('read'), async (_request, params) => {
      const crew = store.get(params.id ?? '');
      return crew ? HttpResponse.json(crew) : refuse(notFound, '従業員が見つかりません。');
    }),
    route('post', VENDOR.paths.crews, createFacts, async (request) =>
      stored(store.create(await bodyOf(request)), 201),
    ),
    route('patch', `${VENDOR.paths.crews}/:id`, crewFacts('write'), async (request, params) =>
      stored(store.update(params.id ?? '', await bodyOf(request))),
    ),
    route('get', VENDOR.paths.employmentTypes, listFacts, async (request) =>
      paged(request, masters().employmentType),
    ),
    route('get', VENDOR.paths.departments, listFacts, async (request) =>
      paged(request, masters().department),
    ),
    route('get', VENDOR.paths.positions, listFacts, async (request) => paged(request, masters().jobTitle)),
  ];

  const area = (id: string) => {
    if (id !== IMPLICIT_DATA_AREA.id) throw new Error(`smarthr fake: unknown data area ${id}`);
  };

  return {
    handlers,
    faults,
    clock,
    credentials,
    baseUrl: base,
    get requests() {
      return requests;
    },
    get overLimitCount() {
      return overLimitCount;
    },
    dataAreas: () => [IMPLICIT_DATA_AREA.id],
    seed(id: string, employees: readonly Employee[]) {
      area(id);
      for (const employee of employees) {
        const mapped = toCrewBody(employee, masters(), WRITABLE, true);
        if (!mapped.ok)
          throw new Error(`smarthr fake: cannot seed ${employee.employeeCode}: ${mapped.error.message}`);
        // E-mail is entered in SmartHR itself (Renkei reads it, never writes it).
        const email = employee.email ? { email: employee.email } : {};
        const result = store.create({ ...withEmployeeCode(mapped.body, employee.employeeCode), ...email });
        if (!result.ok) {
          const reasons = result.errors.map((error) => `${error.field} ${error.message}`).join(', ');
          throw new Error(`smarthr fake: cannot seed ${employee.employeeCode}: ${reasons}`);
        }
      }
    },
    seedInvalid(id: string, employeeCode: string) {
      area(id);
      store.insert({ emp_code: employeeCode, last_name: '不正', first_name: '日付', birth_at: '1990-02-30' });
    },
    records(id: string) {
      area(id);
      return store.list().flatMap((crew) => {
        const listed = toListedEmployee(crew);
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

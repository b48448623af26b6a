import { type Clock, type Employee, type FieldKey, IMPLICIT_DATA_AREA, systemClock } from '@renkei/core';
import {
  bearerToken,
  createFakeGateway,
  type FakeVendor,
  type GatewayCall,
  type PersistableFake,
  type RequestFacts,
} from '@renkei/testkit/fakes';
import { HttpResponse, type RequestHandler } from 'msw';
import { z } from 'zod';
import { Crew } from '../api.ts';
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

export interface SmarthrFake extends FakeVendor, PersistableFake {
  /** The credentials this fake accepts (for the demo's 連携設定). */
  readonly credentials: Credentials;
  /** The base URL it answers on: the tenant's host. */
  readonly baseUrl: string;
}

const HOUR_MS = 3_600_000;
/** What a snapshot holds: the crews as stored (unchecked, as `insert` stores them). */
const SmarthrSnapshot = z.object({ crews: z.array(Crew), nextId: z.number().int().positive() });
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
  const [perSecond] = VENDOR.rateLimits;
  const perHour = { limit: options.hourlyLimit ?? VENDOR.rateLimits[1].limit, intervalMs: HOUR_MS };
  const store = createStore();
  let writtenFields = new Set<FieldKey>();

  /**
   * The hour SmartHR counts in, as its `x-rate-limit-*` headers: the requests of the last hour (the
   * one being answered included) and when the oldest of them stops counting, in epoch seconds.
   */
  const rateHeaders = (now: number, answering = 1) => {
    const counted = gateway.requests.filter((request) => request.time > now - HOUR_MS);
    const oldest = counted[0]?.time ?? now;
    return {
      'x-rate-limit-limit': String(perHour.limit),
      'x-rate-limit-remaining': String(Math.max(0, perHour.limit - counted.length - answering)),
      'x-rate-limit-reset': String(Math.ceil((oldest + HOUR_MS) / 1000)),
    };
  };

  const gateway = createFakeGateway({
    clock,
    rateLimits: [perSecond, perHour],
    answers: {
      // No Retry-After: the reset header says when to come back (the toolkit reads either).
      tooManyRequests: (retryAfterSeconds, status) =>
        refuse(
          { ...tooManyRequests, status: status as 429 },
          'リクエスト数が上限に達しました。しばらくしてから再度お試しください。',
          [],
          {
            ...rateHeaders(clock.now(), 0),
            'x-rate-limit-remaining': '0',
            'x-rate-limit-reset': String(Math.ceil(clock.now() / 1000) + retryAfterSeconds),
          },
        ),
      serverError: (status) =>
        refuse({ ...serviceUnavailable, status: status as 503 }, 'サーバーで問題が発生しました。'),
      expiredToken: () => refuse(unauthorized, 'アクセストークンが無効です。'),
      malformedBody: (status) => HttpResponse.json({ data: '<html>maintenance</html>' }, { status }),
    },
  });

  type Params = Record<string, string>;
  type Facts = (url: URL, params: Params, body: unknown) => RequestFacts;

  /** One route behind the gateway (limits, faults, the token), answering with the hour's rate headers. */
  const route = (
    method: 'get' | 'post' | 'patch',
    path: string,
    facts: Facts,
    handle: (request: Request, params: Params) => Promise<Response>,
  ): RequestHandler =>
    gateway.route(
      method,
      `${base}${path}`,
      async (request, params): Promise<GatewayCall> => {
        const body = method === 'get' ? undefined : await request.json().catch(() => undefined);
        return {
          ...facts(new URL(request.url), params, body),
          authorise: () => {
            if (bearerToken(request) !== credentials.apiToken)
              return refuse(unauthorized, 'アクセストークンが無効です。');
            for (const field of canonicalFieldsOf(body ?? {})) writtenFields.add(field);
            return undefined;
          },
        };
      },
      async (request, params) => {
        const now = clock.now();
        const response = await handle(request, params);
        for (const [name, value] of Object.entries(rateHeaders(now))) response.headers.set(name, value);
        return response;
      },
    );

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
    faults: gateway.faults,
    clock,
    credentials,
    baseUrl: base,
    get requests() {
      return gateway.requests;
    },
    get overLimitCount() {
      return gateway.overLimitCount;
    },
    get insideRetryAfterCount() {
      return gateway.insideRetryAfterCount;
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
    snapshot: () => store.dump(),
    restore(snapshot) {
      const saved = SmarthrSnapshot.parse(snapshot);
      store.load(saved.crews, saved.nextId);
    },
    reset() {
      store.clear();
      gateway.reset();
      writtenFields = new Set();
    },
  };
}
export { smarthrSample } from './sample.ts';

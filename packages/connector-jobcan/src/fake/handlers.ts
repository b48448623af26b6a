import type { Clock, FieldKey } from '@renkei/core';
import type { FakeRequestRecord, Fault, FaultInjector, RequestFacts } from '@renkei/testkit/fakes';
import { HttpResponse, http, type RequestHandler } from 'msw';
import type { ErrorCode } from '../api.ts';
import { canonicalFieldOf } from '../mapper.ts';
import { JOBCAN, type JobcanScope } from '../vendor.ts';
import type { StaffStore, Stored } from './store.ts';

/** Everything the handlers share with the fake that owns them. */
export interface FakeState {
  clock: Clock;
  hosts: { api: string; auth: string };
  /** The one API client, and the scopes it was granted when issued. */
  client: { clientId: string; clientSecret: string; scopes: readonly string[] };
  store: StaffStore;
  faults: FaultInjector;
  tokens: Map<string, { scope: string; expiresAt: number }>;
  requests: FakeRequestRecord[];
  /** Arrival times of the requests the rate limit counts, oldest first. */
  counted: number[];
  overLimitCount: number;
  tokensIssued: number;
  /** Within a Retry-After the fake gave: requests after `from` and before `until` are over the limit. */
  block: { from: number; until: number };
  writtenFields: Set<FieldKey>;
}

/** Jobcan properties the connector must never send, and the canonical field each would carry. */
const UNCARRIED: Readonly<Record<string, FieldKey>> = {
  last_name_kana: 'lastNameKana',
  first_name_kana: 'firstNameKana',
  retire_date: 'retireDate',
  main_group: 'department',
  sub_group: 'department',
  status: 'status',
};

const json = (status: number, body: object, headers?: Record<string, string>) =>
  HttpResponse.json(body, { status, ...(headers ? { headers } : {}) });
const refuse = (status: number, error: ErrorCode, message: string, headers?: Record<string, string>) =>
  json(status, { error, message }, headers);
const answerStored = (stored: Stored, status: number) =>
  stored.ok
    ? json(status, { employee: stored.record })
    : refuse(stored.refusal.status, stored.refusal.error, stored.refusal.message);

async function readJson(request: Request): Promise<unknown> {
  try {
    return await request.json();
  } catch {
    return undefined;
  }
}

type Handle = (request: Request, params: Record<string, string>) => Promise<Response>;
interface Route {
  method: 'get' | 'post' | 'put';
  url: string;
  requestClass: FakeRequestRecord['requestClass'];
  /** The scope a token needs (none for the token endpoint). */
  scope?: JobcanScope;
  /** The 社員番号 a request concerns, for faults aimed at some employees. */
  codes?: (request: Request, params: Record<string, string>) => Promise<string[]>;
  handle: Handle;
}

/**
 * The Jobcan API as MSW handlers over the store. Every request passes one front door: the rate
 * limit (10 per second on the fake's clock, 429 with Retry-After), then an injected fault, then the
 * bearer token and its scope, then the route. Faults are rendered as Jobcan would answer.
 */
export function createHandlers(state: FakeState): RequestHandler[] {
  const { clock, store, hosts } = state;
  const { limit, intervalMs } = JOBCAN.rateLimit;

  /** Within a Retry-After the fake gave, or `limit` requests already counted in the last interval. */
  const overLimit = (now: number) => {
    const { counted } = state;
    let expired = 0;
    while (expired < counted.length && (counted[expired] as number) <= now - intervalMs) expired++;
    counted.splice(0, expired);
    return (now > state.block.from && now < state.block.until) || counted.length >= limit;
  };

  const tooMany = (retryAfterSeconds: number) =>
    refuse(
      429,
      'too_many_requests',
      'リクエスト数が上限を超えました。しばらく待ってから再度お試しください。',
      {
        'Retry-After': String(retryAfterSeconds),
      },
    );

  /** A fault that replaces the answer before the route runs. */
  const renderFault = (fault: Fault, request: Request): Response | undefined => {
    switch (fault.kind) {
      case 'rate_limit':
        state.block = { from: clock.now(), until: clock.now() + fault.retryAfterSeconds * 1000 };
        return tooMany(fault.retryAfterSeconds);
      case 'server_error':
        return refuse(fault.status, 'server_error', 'サーバーでエラーが発生しました。');
      case 'network_error':
        return HttpResponse.error();
      case 'expired_token':
        state.tokens.delete(bearer(request) ?? '');
        return refuse(401, 'invalid_token', 'アクセストークンの有効期限が切れています。');
      default:
        return undefined;
    }
  };

  /** The bearer token's problem for a route needing `scope`, if any. */
  const tokenRefusal = (request: Request, scope: JobcanScope): Response | undefined => {
    const token = bearer(request);
    const held = token === undefined ? undefined : state.tokens.get(token);
    if (!held) return refuse(401, 'invalid_token', 'アクセストークンが無効です。');
    if (clock.now() >= held.expiresAt) {
      state.tokens.delete(token as string);
      return refuse(401, 'invalid_token', 'アクセストークンの有効期限が切れています。');
    }
    if (held.scope !== scope)
      return refuse(403, 'insufficient_scope', `このアクセストークンには ${scope} の権限がありません。`);
    return undefined;
  };

  const answer = async (
    route: Route,
    request: Request,
    params: Record<string, string>,
  ): Promise<Response> => {
    if (overLimit(clock.now())) {
      state.overLimitCount++;
      return tooMany(Math.max(1, Math.ceil((state.block.until - clock.now()) / 1000)));
    }
    state.counted.push(clock.now());
    const facts: RequestFacts = {
      scope: route.requestClass,
      ...(route.codes ? { employeeCodes: await route.codes(request.clone(), params) } : {}),
    };
    const fault = state.faults.take(facts);
    if (fault?.kind === 'delay') await clock.sleep(fault.delayMs);
    const early = fault && renderFault(fault, request);
    if (early) return early;
    const denied = route.scope && tokenRefusal(request, route.scope);
    if (denied) return denied;
    if (fault?.kind === 'late_commit') {
      // The client is told nothing; Jobcan does the work later, after the client gave up.
      const later = request.clone();
      void clock.sleep(fault.delayMs).then(() => route.handle(later, params));
      return HttpResponse.error();
    }
    const response = await route.handle(request, params);
    // Jobcan did the work; only the answer is lost or garbled.
    if (fault?.kind === 'timeout_after_commit' || fault?.kind === 'lost_auth_answer')
      return HttpResponse.error();
    if (fault?.kind === 'malformed_body')
      return new HttpResponse('<html><body>メンテナンス中です</body></html>', { status: 200 });
    return response;
  };

  const serve = (route: Route): RequestHandler =>
    http[route.method](route.url, async ({ request, params }) => {
      const time = clock.now();
      const response = await answer(route, request, params as Record<string, string>);
      state.requests.push({
        method: request.method,
        url: request.url,
        requestClass: route.requestClass,
        time,
        status: response.type === 'error' ? 0 : response.status,
      });
      return response;
    });

  const noteWrittenFields = (body: unknown) => {
    for (const [property, value] of Object.entries(typeof body === 'object' && body !== null ? body : {})) {
      const field =
        property === 'email'
          ? // Only a real address would be the canonical e-mail; the placeholder is not.
            typeof value === 'string' && !value.endsWith(`@${JOBCAN.placeholderEmailDomain}`)
            ? 'email'
            : undefined
          : (canonicalFieldOf(property) ?? UNCARRIED[property]);
      if (field) state.writtenFields.add(field);
    }
  };

  const employees = `${hosts.api}${JOBCAN.paths.employees}`;
  const codeParam = async (_request: Request, params: Record<string, string>) => [params.code as string];

  return [
    serve({
      method: 'post',
      url: `${hosts.auth}${JOBCAN.paths.token}`,
      requestClass: 'auth',
      async handle(request) {
        if (basicCredentials(request) !== `${state.client.clientId}:${state.client.clientSecret}`) {
          return refuse(401, 'invalid_client', 'クライアント認証に失敗しました。');
        }
        const form = new URLSearchParams(await request.text());
        if (form.get('grant_type') !== 'client_credentials') {
          return refuse(
            400,
            'unsupported_grant_type',
            'grant_type には client_credentials を指定してください。',
          );
        }
        const scope = form.get('scope') ?? '';
        if (!state.client.scopes.includes(scope)) {
          return refuse(
            400,
            'invalid_scope',
            `このAPIクライアントではスコープ「${scope}」を利用できません。`,
          );
        }
        state.tokensIssued++;
        const token = `jobcan-fake-${state.tokensIssued}-${clock.now()}`;
        state.tokens.set(token, { scope, expiresAt: clock.now() + JOBCAN.tokenTtlSeconds * 1000 });
        return json(200, {
          access_token: token,
          token_type: 'Bearer',
          expires_in: JOBCAN.tokenTtlSeconds,
          scope,
        });
      },
    }),
    serve({
      method: 'get',
      url: `${hosts.api}${JOBCAN.paths.workKinds}`,
      requestClass: 'read',
      scope: JOBCAN.scopes.workKinds,
      handle: async () => json(200, { work_kinds: store.workKinds }),
    }),
    serve({
      method: 'get',
      url: `${hosts.api}${JOBCAN.paths.groups}`,
      requestClass: 'read',
      scope: JOBCAN.scopes.groups,
      handle: async () => json(200, { groups: store.groups }),
    }),
    serve({
      method: 'get',
      url: employees,
      requestClass: 'read',
      scope: JOBCAN.scopes.read,
      async handle(request) {
        const query = new URL(request.url).searchParams;
        const count = Number(query.get('count') ?? JOBCAN.maxPageSize);
        const lastId = Number(query.get('last_id') ?? 0);
        if (!Number.isInteger(count) || count < 1 || count > JOBCAN.maxPageSize) {
          return refuse(
            400,
            'invalid_request',
            `count は1から${JOBCAN.maxPageSize}の整数で指定してください。`,
          );
        }
        if (!Number.isInteger(lastId) || lastId < 0) {
          return refuse(400, 'invalid_request', 'last_id は0以上の整数で指定してください。');
        }
        const page = store
          .list()
          .filter((record) => record.id > lastId)
          .slice(0, count);
        return json(200, { employees: page });
      },
    }),
    serve({
      method: 'get',
      url: `${employees}/:code`,
      requestClass: 'read',
      scope: JOBCAN.scopes.read,
      codes: codeParam,
      async handle(_request, params) {
        const record = store.byCode(params.code as string);
        if (!record)
          return refuse(404, 'not_found', `スタッフコード「${params.code}」のスタッフは存在しません。`);
        return json(200, { employee: record });
      },
    }),
    serve({
      method: 'post',
      url: employees,
      requestClass: 'write',
      scope: JOBCAN.scopes.create,
      async codes(request) {
        const code = ((await readJson(request)) as { code?: unknown } | undefined)?.code;
        return typeof code === 'string' ? [code] : [];
      },
      async handle(request) {
        const body = await readJson(request);
        noteWrittenFields(body);
        return answerStored(store.create(body), 201);
      },
    }),
    serve({
      method: 'put',
      url: `${employees}/:code`,
      requestClass: 'write',
      scope: JOBCAN.scopes.update,
      codes: codeParam,
      async handle(request, params) {
        const body = await readJson(request);
        noteWrittenFields(body);
        return answerStored(store.update(params.code as string, body), 200);
      },
    }),
  ];
}

const bearer = (request: Request) => request.headers.get('authorization')?.match(/^Bearer (.+)$/)?.[1];

/** `id:secret` from an `Authorization: Basic` header. */
function basicCredentials(request: Request): string | undefined {
  const encoded = request.headers.get('authorization')?.match(/^Basic (.+)$/)?.[1];
  return encoded === undefined ? undefined : Buffer.from(encoded, 'base64').toString('utf8');
}

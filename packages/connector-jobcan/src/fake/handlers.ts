import type { Clock, FieldKey } from '@renkei/core';
import { basicCredentials, bearerToken, type FakeGateway, type TokenStore } from '@renkei/testkit/fakes';
import { HttpResponse, type RequestHandler } from 'msw';
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
  gateway: FakeGateway;
  tokens: TokenStore<{ scope: string }>;
  tokensIssued: number;
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

type Params = Record<string, string>;

/**
 * How Jobcan words the answers its gateway gives: 429 with Retry-After, its server error, and its
 * token-expired answer (the expired token is forgotten); a garbled answer is its maintenance page.
 */
export function jobcanAnswers(tokens: TokenStore<{ scope: string }>) {
  return {
    tooManyRequests: (retryAfterSeconds: number, status: number) =>
      refuse(
        status,
        'too_many_requests',
        'リクエスト数が上限を超えました。しばらく待ってから再度お試しください。',
        { 'Retry-After': String(retryAfterSeconds) },
      ),
    serverError: (status: number) => refuse(status, 'server_error', 'サーバーでエラーが発生しました。'),
    expiredToken(request: Request) {
      const token = bearerToken(request);
      if (token) tokens.revoke(token);
      return refuse(401, 'invalid_token', 'アクセストークンの有効期限が切れています。');
    },
    malformedBody: (status: number) =>
      new HttpResponse('<html><body>メンテナンス中です</body></html>', { status }),
  };
}

/**
 * The Jobcan API as MSW handlers over the store, each behind the fake's gateway (rate limit of 10
 * per second on the fake's clock, injected faults, the request log), then the bearer token and its
 * scope, then the route.
 */
export function createHandlers(state: FakeState): RequestHandler[] {
  const { store, hosts, gateway } = state;

  /** The bearer token's problem for a route needing `scope`, if any. */
  const tokenRefusal = (request: Request, scope: JobcanScope): Response | undefined => {
    const verified = state.tokens.verify(request);
    if (!verified.ok)
      return refuse(
        401,
        'invalid_token',
        verified.problem === 'expired'
          ? 'アクセストークンの有効期限が切れています。'
          : 'アクセストークンが無効です。',
      );
    if (verified.grant.scope !== scope)
      return refuse(403, 'insufficient_scope', `このアクセストークンには ${scope} の権限がありません。`);
    return undefined;
  };

  /** A route a token with `scope` may call; `codes` are the 社員番号 it concerns (for aimed faults). */
  const call =
    (
      requestClass: 'read' | 'write',
      scope: JobcanScope,
      codes?: (request: Request, params: Params) => Promise<string[]>,
    ) =>
    async (request: Request, params: Params) => ({
      scope: requestClass,
      ...(codes ? { employeeCodes: await codes(request, params) } : {}),
      authorise: () => tokenRefusal(request, scope),
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
  const codeParam = async (_request: Request, params: Params) => [params.code as string];

  return [
    gateway.route(
      'post',
      `${hosts.auth}${JOBCAN.paths.token}`,
      () => ({ scope: 'auth' }),
      async (request) => {
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
        const token = `jobcan-fake-${state.tokensIssued}-${state.clock.now()}`;
        state.tokens.issue(token, { scope }, JOBCAN.tokenTtlSeconds * 1000);
        return json(200, {
          access_token: token,
          token_type: 'Bearer',
          expires_in: JOBCAN.tokenTtlSeconds,
          scope,
        });
      },
    ),
    gateway.route('get', `${hosts.api}${JOBCAN.paths.workKinds}`, call('read', JOBCAN.scopes.workKinds), () =>
      json(200, { work_kinds: store.workKinds }),
    ),
    gateway.route('get', `${hosts.api}${JOBCAN.paths.groups}`, call('read', JOBCAN.scopes.groups), () =>
      json(200, { groups: store.groups }),
    ),
    gateway.route('get', employees, call('read', JOBCAN.scopes.read), (request) => {
      const query = new URL(request.url).searchParams;
      const count = Number(query.get('count') ?? JOBCAN.maxPageSize);
      const lastId = Number(query.get('last_id') ?? 0);
      if (!Number.isInteger(count) || count < 1 || count > JOBCAN.maxPageSize) {
        return refuse(400, 'invalid_request', `count は1から${JOBCAN.maxPageSize}の整数で指定してください。`);
      }
      if (!Number.isInteger(lastId) || lastId < 0) {
        return refuse(400, 'invalid_request', 'last_id は0以上の整数で指定してください。');
      }
      return json(200, { employees: store.page(lastId, count) });
    }),
    gateway.route(
      'get',
      `${employees}/:code`,
      call('read', JOBCAN.scopes.read, codeParam),
      (_request, params) => {
        const record = store.byCode(params.code as string);
        if (!record)
          return refuse(404, 'not_found', `スタッフコード「${params.code}」のスタッフは存在しません。`);
        return json(200, { employee: record });
      },
    ),
    gateway.route(
      'post',
      employees,
      call('write', JOBCAN.scopes.create, async (request) => {
        const code = ((await readJson(request)) as { code?: unknown } | undefined)?.code;
        return typeof code === 'string' ? [code] : [];
      }),
      async (request) => {
        const body = await readJson(request);
        noteWrittenFields(body);
        return answerStored(store.create(body), 201);
      },
    ),
    gateway.route(
      'put',
      `${employees}/:code`,
      call('write', JOBCAN.scopes.update, codeParam),
      async (request, params) => {
        const body = await readJson(request);
        noteWrittenFields(body);
        return answerStored(store.update(params.code as string, body), 200);
      },
    ),
  ];
}

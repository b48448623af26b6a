import {
  type AuthHook,
  type ConnectorContext,
  ConnectorError,
  type ConnectorLimits,
  connectionLimiter,
  createHttpClient,
  type HttpClient,
} from '@renkei/core';
import {
  type EmployeeCreateBody,
  EmployeeEnvelope,
  EmployeePage,
  type EmployeeUpdateBody,
  ErrorBody,
  TokenResponse,
  type WorkKind,
  WorkKindList,
  WrittenEmployee,
} from './api.ts';
import { JOBCAN, type JobcanScope } from './vendor.ts';

export interface JobcanClientOptions {
  hosts: { api: string; auth: string };
  clientId: string;
  clientSecret: string;
  limits: ConnectorLimits;
  context: ConnectorContext;
}

/** Renew a token this long before Jobcan says it expires. */
const TOKEN_MARGIN_MS = 30_000;

const SETTINGS_HINT =
  'ジョブカンの「他社システム連携 > APIクライアント発行」で確認し、連携設定を見直してください。';

/** Jobcan's `{"error", "message"}` bodies, read before the toolkit's classification by status. */
function classifyError({ status, body }: { status: number; body: unknown }): ConnectorError | undefined {
  const parsed = ErrorBody.safeParse(body);
  if (!parsed.success) return undefined;
  const { error: code, message: detail } = parsed.data;
  const options = { status, vendorCode: code };
  const vendorSays = detail ? ` ジョブカンのメッセージ: ${detail}` : '';
  switch (code) {
    case 'invalid_client':
      return new ConnectorError(
        'auth',
        `APIクライアントIDまたはシークレットアクセスキーが正しくありません。${SETTINGS_HINT}`,
        options,
      );
    case 'invalid_scope':
    case 'insufficient_scope':
      return new ConnectorError(
        'auth',
        `APIクライアントにこの操作の権限がありません。${SETTINGS_HINT}${vendorSays}`,
        options,
      );
    case 'invalid_token':
      return new ConnectorError('auth', 'ジョブカンのアクセストークンが無効です。', options);
    case 'validation_error':
      return new ConnectorError('validation', `ジョブカンが値を受け付けませんでした。${vendorSays}`, options);
    case 'duplicate_code':
      return new ConnectorError(
        'conflict',
        `このスタッフコード（社員番号）はジョブカンに既に登録されています。${vendorSays}`,
        options,
      );
    default:
      return undefined;
  }
}

/**
 * The Jobcan API on core's http toolkit. OAuth2 client credentials with one cached token per scope
 * (refetched once on a 401 by the toolkit); one rate limiter shared by every request of the session.
 * Returns Jobcan's own records: mapping is the mapper's job.
 */
export function createJobcanClient(options: JobcanClientOptions) {
  const { context, clientId, clientSecret } = options;
  const limiter = connectionLimiter(options.limits, context);
  const common = { context, limiter, secrets: [clientSecret], classifyError };
  const tokenClient = createHttpClient({ ...common, baseUrl: options.hosts.auth });
  const basic = `Basic ${Buffer.from(`${clientId}:${clientSecret}`).toString('base64')}`;

  /** Per scope: a cached token, renewed by one request that concurrent callers share. */
  const tokenHook = (scope: JobcanScope): AuthHook => {
    let token: { value: string; expiresAt: number } | undefined;
    let fetching: Promise<void> | undefined;
    const fetchToken = async () => {
      const { data } = await tokenClient.request({
        method: 'POST',
        path: JOBCAN.paths.token,
        headers: { authorization: basic },
        form: { grant_type: 'client_credentials', scope },
        requestClass: 'auth',
        schema: TokenResponse,
        auth: false,
        idempotent: true,
      });
      const lifetimeMs = data.expires_in === undefined ? Number.POSITIVE_INFINITY : data.expires_in * 1000;
      token = { value: data.access_token, expiresAt: context.clock.now() + lifetimeMs - TOKEN_MARGIN_MS };
    };
    return {
      async headers() {
        if (!token || context.clock.now() >= token.expiresAt) {
          fetching ??= fetchToken().finally(() => {
            fetching = undefined;
          });
          await fetching;
        }
        if (!token) throw new ConnectorError('auth', 'ジョブカンのアクセストークンを取得できませんでした。');
        return { authorization: `Bearer ${token.value}` };
      },
      invalidate() {
        token = undefined;
      },
    };
  };

  const api = (scope: JobcanScope): HttpClient =>
    createHttpClient({ ...common, baseUrl: options.hosts.api, auth: tokenHook(scope) });
  const reader = api(JOBCAN.scopes.read);
  const creator = api(JOBCAN.scopes.create);
  const updater = api(JOBCAN.scopes.update);
  const masters = api(JOBCAN.scopes.workKinds);
  const employeePath = (code: string) => `${JOBCAN.paths.employees}/${encodeURIComponent(code)}`;

  return {
    /** One small read: the token endpoint and the API both accept the credentials. */
    async check(): Promise<void> {
      await reader.request({
        path: JOBCAN.paths.employees,
        query: { count: 1 },
        requestClass: 'read',
        schema: EmployeePage,
      });
    },

    async workKinds(): Promise<WorkKind[]> {
      const { data } = await masters.request({
        path: JOBCAN.paths.workKinds,
        requestClass: 'read',
        schema: WorkKindList,
      });
      return data.work_kinds;
    },

    /** Every staff record, unparsed, by keyset paging: `last_id` is the previous page's last id. */
    async *employees(): AsyncIterable<unknown> {
      let lastId: number | undefined;
      for (;;) {
        const { data } = await reader.request({
          path: JOBCAN.paths.employees,
          query: { last_id: lastId, count: JOBCAN.maxPageSize },
          requestClass: 'read',
          schema: EmployeePage,
        });
        yield* data.employees;
        if (data.employees.length < JOBCAN.maxPageSize) return;
        const last = data.employees.at(-1) as { id?: unknown };
        if (typeof last?.id !== 'number') {
          throw new ConnectorError(
            'protocol',
            'ジョブカンの一覧の最後のスタッフにIDがないため、続きを読み込めません。',
          );
        }
        lastId = last.id;
      }
    },

    /** One staff record by スタッフコード, unparsed; undefined when Jobcan has none. */
    async employee(code: string): Promise<unknown> {
      try {
        const { data } = await reader.request({
          path: employeePath(code),
          requestClass: 'read',
          schema: EmployeeEnvelope,
        });
        return data.employee;
      } catch (error) {
        if (error instanceof ConnectorError && error.kind === 'not_found') return undefined;
        throw error;
      }
    },

    async create(body: EmployeeCreateBody): Promise<void> {
      await creator.request({
        method: 'POST',
        path: JOBCAN.paths.employees,
        json: body,
        requestClass: 'write',
        schema: WrittenEmployee,
      });
    },

    async update(code: string, body: EmployeeUpdateBody): Promise<void> {
      await updater.request({
        method: 'PUT',
        path: employeePath(code),
        json: body,
        requestClass: 'write',
        schema: WrittenEmployee,
        // The same PUT twice leaves the same record: safe to resend after a lost answer.
        idempotent: true,
      });
    },
  };
}

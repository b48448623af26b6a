import {
  type AuthHook,
  type ConnectorContext,
  ConnectorError,
  type ConnectorErrorInfo,
  type ConnectorLimits,
  connectionLimiter,
  createHttpClient,
  type DataArea,
  type EmployeeWrite,
  type FieldKey,
  type HttpClient,
  type ListedEmployee,
  type WriteResult,
} from '@renkei/core';
import type { z } from 'zod';
import {
  AreaList,
  BatchResponse,
  EmployeePage,
  MAX_PAGE_SIZE,
  TokenResponse,
  VendorError,
  type VendorRecordError,
} from './api.ts';
import { toListedEmployee, toVendorFields } from './mapper.ts';

export interface ReferenceClientOptions {
  baseUrl: string;
  clientId: string;
  clientSecret: string;
  limits: ConnectorLimits;
  /** Canonical fields the connector writes: nothing else leaves in a write. */
  writable: readonly FieldKey[];
  context: ConnectorContext;
}

/** Renew a token this long before the vendor says it expires. */
const TOKEN_MARGIN_MS = 60_000;

const PAGE_SIZE = 50;

/** The vendor's error bodies, read before the toolkit's default classification by status. */
function classifyError({ status, body }: { status: number; body: unknown }): ConnectorError | undefined {
  const parsed = VendorError.safeParse(body);
  if (!parsed.success) return undefined;
  const { error } = parsed.data;
  if (status === 401 && error === 'invalid_client') {
    return new ConnectorError(
      'auth',
      'クライアントIDまたはシークレットが正しくありません。連携設定を確認してください。',
      {
        status,
        vendorCode: error,
      },
    );
  }
  if (status === 401 && (error === 'token_expired' || error === 'invalid_token')) {
    return new ConnectorError('auth', 'アクセストークンが無効になりました。', { status, vendorCode: error });
  }
  return undefined;
}

const RECORD_ERROR_KIND: Record<z.infer<typeof VendorRecordError>['code'], ConnectorErrorInfo['kind']> = {
  VALIDATION: 'validation',
  NOT_FOUND: 'not_found',
  DUPLICATE_CODE: 'conflict',
};

/** The reference vendor's API on core's http toolkit: token auth, paging, batch writes. */
export function createReferenceClient(options: ReferenceClientOptions) {
  const { context } = options;
  const limiter = connectionLimiter(options.limits, context);
  const common = {
    baseUrl: options.baseUrl,
    context,
    limiter,
    secrets: [options.clientSecret],
    classifyError,
  };
  const tokenClient = createHttpClient(common);
  let token: { value: string; expiresAt: number } | undefined;
  let renewing: Promise<void> | undefined;

  const renew = async () => {
    const response = await tokenClient.request({
      method: 'POST',
      path: '/oauth/token',
      form: {
        grant_type: 'client_credentials',
        client_id: options.clientId,
        client_secret: options.clientSecret,
      },
      requestClass: 'auth',
      schema: TokenResponse,
      auth: false,
      idempotent: true,
    });
    token = {
      value: response.data.access_token,
      expiresAt: context.clock.now() + response.data.expires_in * 1000,
    };
  };

  const auth: AuthHook = {
    async headers() {
      if (!token || context.clock.now() >= token.expiresAt - TOKEN_MARGIN_MS) {
        // One renewal at a time, shared by the requests that wait for it.
        renewing ??= renew().finally(() => {
          renewing = undefined;
        });
        await renewing;
      }
      if (!token) throw new ConnectorError('auth', 'アクセストークンを取得できませんでした。');
      return { authorization: `Bearer ${token.value}` };
    },
    invalidate() {
      token = undefined;
    },
  };
  const http: HttpClient = createHttpClient({ ...common, auth });

  const employeesPath = (area: string) => `/areas/${encodeURIComponent(area)}/employees`;

  return {
    /** Obtains a fresh token: the vendor refuses wrong credentials here. */
    async authenticate(): Promise<void> {
      auth.invalidate();
      await auth.headers(context.signal);
    },

    async listDataAreas(): Promise<DataArea[]> {
      const response = await http.request({ path: '/areas', requestClass: 'read', schema: AreaList });
      return response.data.areas.map((area) => ({ id: area.id, name: area.name }));
    },

    async *listEmployees(area: string): AsyncIterable<ListedEmployee> {
      let cursor: string | undefined;
      do {
        const response = await http.request({
          path: employeesPath(area),
          query: { limit: PAGE_SIZE, cursor },
          requestClass: 'read',
          schema: EmployeePage,
        });
        for (const record of response.data.employees) yield toListedEmployee(record);
        cursor = response.data.next_cursor ?? undefined;
      } while (cursor !== undefined);
    },

    async getEmployees(area: string, codes: readonly string[]): Promise<ListedEmployee[]> {
      const found: ListedEmployee[] = [];
      for (let i = 0; i < codes.length; i += MAX_PAGE_SIZE) {
        const chunk = codes.slice(i, i + MAX_PAGE_SIZE);
        const query = new URLSearchParams({ limit: String(MAX_PAGE_SIZE) });
        for (const code of chunk) query.append('code', code);
        const response = await http.request({
          path: `${employeesPath(area)}?${query}`,
          requestClass: 'read',
          schema: EmployeePage,
        });
        found.push(...response.data.employees.map(toListedEmployee));
      }
      return found;
    },

    async writeEmployees(area: string, writes: readonly EmployeeWrite[]): Promise<WriteResult[]> {
      const operations = writes.map((write) =>
        write.op === 'create'
          ? {
              op: 'create',
              employee: { code: write.employeeCode, ...toVendorFields(write.values, options.writable) },
            }
          : {
              op: 'update',
              code: write.employeeCode,
              changes: toVendorFields(write.changes, options.writable),
            },
      );
      const response = await http.request({
        method: 'POST',
        path: `${employeesPath(area)}/batch`,
        json: { operations },
        requestClass: 'write',
        schema: BatchResponse,
      });
      const byIndex = new Map(response.data.results.map((result) => [result.index, result]));
      return writes.map((write, index): WriteResult => {
        const result = byIndex.get(index);
        if (!result) {
          return {
            employeeCode: write.employeeCode,
            ok: false,
            error: {
              kind: 'protocol',
              retryable: false,
              message: '連携先から書き込み結果が返されませんでした。',
            },
          };
        }
        if (result.status === 'ok') return { employeeCode: write.employeeCode, ok: true, op: write.op };
        return {
          employeeCode: write.employeeCode,
          ok: false,
          error: {
            kind: RECORD_ERROR_KIND[result.error.code],
            retryable: false,
            vendorCode: result.error.code,
            message: result.error.field
              ? `${result.error.message}（${result.error.field}）`
              : result.error.message,
          },
        };
      });
    },
  };
}

import {
  type ConnectorContext,
  ConnectorError,
  type ConnectorLimits,
  createHttpClient,
  createRateLimiter,
  type DataArea,
  type EmployeeWrite,
  type FieldKey,
  IMPLICIT_DATA_AREA,
  isConnectorError,
  type ListedEmployee,
  secretCredentialKeys,
  type WriteResult,
} from '@renkei/core';
import { EmployeeEnvelope, EmployeePage, ErrorBody } from './api.ts';
import { Credentials, createAuth } from './auth.ts';
import { toListedEmployee, toVendorBody } from './mapper.ts';
import { VENDOR } from './vendor.ts';

export interface ClientOptions {
  credentials: Credentials;
  context: ConnectorContext;
  limits: ConnectorLimits;
  /** Canonical fields the connector writes: nothing else leaves in a write. */
  writable: readonly FieldKey[];
  baseUrl?: string;
}

/** The vendor's answers about one record (reported per employee); anything else is about the exchange. */
const RECORD_ERRORS = new Set(['validation', 'conflict', 'not_found']);

/** Reads the vendor's error body before the toolkit's classification by status. */
function classifyError({ status, body }: { status: number; body: unknown }): ConnectorError | undefined {
  const parsed = ErrorBody.safeParse(body);
  if (!parsed.success) return undefined;
  const { error } = parsed.data;
  if (status === 401 && error === 'invalid_client') {
    return new ConnectorError('auth', '認証情報が正しくありません。連携設定を確認してください。', {
      status,
      vendorCode: error,
    });
  }
  // Everything else: the toolkit's classification by status (409 conflict, 422 validation, …).
  return undefined;
}

/** SmartHR's API on core's http toolkit: auth, paging, per-employee writes. */
export function createClient(options: ClientOptions) {
  const { credentials, context } = options;
  const common = {
    baseUrl: options.baseUrl ?? VENDOR.baseUrl,
    context,
    limiter: createRateLimiter(options.limits, context.clock),
    secrets: secretCredentialKeys(Credentials).map((key) => String(credentials[key as keyof Credentials])),
    classifyError,
  };
  const auth = createAuth(credentials);
  const http = createHttpClient({ ...common, auth });

  // The vendor has no data areas: every call goes to its one implicit area.
  const employeesPath = (_area: string) => VENDOR.paths.employees;
  const employeePath = (area: string, code: string) => `${employeesPath(area)}/${encodeURIComponent(code)}`;

  const getEmployee = async (area: string, code: string): Promise<ListedEmployee | undefined> => {
    try {
      const { data } = await http.request({
        path: employeePath(area, code),
        requestClass: 'read',
        schema: EmployeeEnvelope,
      });
      return toListedEmployee(data.employee);
    } catch (error) {
      if (isConnectorError(error) && error.kind === 'not_found') return undefined;
      throw error;
    }
  };

  const send = async (area: string, change: EmployeeWrite): Promise<void> => {
    const request =
      change.op === 'create'
        ? {
            method: 'POST' as const,
            path: employeesPath(area),
            json: { code: change.employeeCode, ...toVendorBody(change.values, options.writable) },
          }
        : {
            method: 'PATCH' as const,
            path: employeePath(area, change.employeeCode),
            json: toVendorBody(change.changes, options.writable),
          };
    await http.request({ ...request, requestClass: 'write', schema: EmployeeEnvelope });
  };

  return {
    /** Verifies the credentials with the cheapest authenticated call. */
    async check(): Promise<void> {
      auth.invalidate();
      await http.request({
        path: VENDOR.paths.employees,
        query: { count: 1 },
        requestClass: 'read',
        schema: EmployeePage,
      });
    },

    async listDataAreas(): Promise<DataArea[]> {
      return [IMPLICIT_DATA_AREA];
    },

    async *listEmployees(area: string): AsyncIterable<ListedEmployee> {
      let lastId: number | undefined;
      for (;;) {
        const { data } = await http.request({
          path: employeesPath(area),
          query: { count: VENDOR.maxPageSize, last_id: lastId },
          requestClass: 'read',
          schema: EmployeePage,
        });
        for (const record of data.employees) yield toListedEmployee(record);
        if (data.employees.length < VENDOR.maxPageSize) return;
        const last = data.employees.at(-1) as { id?: unknown };
        if (typeof last.id !== 'number') {
          throw new ConnectorError('protocol', 'SmartHRの一覧に次のページを示すIDがありません。');
        }
        lastId = last.id;
      }
    },

    async getEmployees(area: string, codes: readonly string[]): Promise<ListedEmployee[]> {
      const found = await Promise.all(codes.map((code) => getEmployee(area, code)));
      return found.filter((entry) => entry !== undefined);
    },

    /**
     * One request per employee (`writeBatchSize: 1`). The vendor's refusal of a record is that
     * employee's result; any other failure (5xx, 429 past its retries, a lost answer) is thrown, so
     * apply retries, splits or — when the vendor may have acted — looks the record up first.
     */
    async writeEmployees(area: string, writes: readonly EmployeeWrite[]): Promise<WriteResult[]> {
      return Promise.all(
        writes.map(async (change): Promise<WriteResult> => {
          const { employeeCode, op } = change;
          try {
            await send(area, change);
            return { employeeCode, ok: true, op };
          } catch (error) {
            if (isConnectorError(error) && RECORD_ERRORS.has(error.kind)) {
              return { employeeCode, ok: false, error: error.toJSON() };
            }
            throw error;
          }
        }),
      );
    },
  };
}

import {
  type ConnectorContext,
  ConnectorError,
  type ConnectorLimits,
  createHttpClient,
  createRateLimiter,
} from '@renkei/core';
import type { z } from 'zod';
import {
  type CrewCreateBody,
  CrewPage,
  type CrewUpdateBody,
  ErrorBody,
  MasterList,
  WrittenCrew,
} from './api.ts';
import { type Credentials, createAuth, ENVIRONMENTS } from './auth.ts';
import type { Masters } from './mapper.ts';
import { baseUrlOf, VENDOR } from './vendor.ts';

export interface ClientOptions {
  credentials: Credentials;
  context: ConnectorContext;
  limits: ConnectorLimits;
  /** Another host than the tenant's (a second fake). */
  baseUrl?: string;
}

const SETTINGS_HINT = 'SmartHRの「共通設定 > API」でアクセストークンを確認し、連携設定を見直してください。';

/** SmartHR's `{code, type, message, errors}` bodies, read before the toolkit's classification by status. */
function classifyError({ status, body }: { status: number; body: unknown }): ConnectorError | undefined {
  const parsed = ErrorBody.safeParse(body);
  if (!parsed.success) return undefined;
  const { type, message, errors } = parsed.data;
  const options = { status, vendorCode: type };
  const details = [message, ...(errors ?? []).map((error) => `${error.field ?? ''} ${error.message}`.trim())];
  const vendorSays = ` SmartHRのメッセージ: ${details.filter(Boolean).join(' / ')}`;
  if (status === 401)
    return new ConnectorError(
      'auth',
      `アクセストークンが正しくないか、失効しています。${SETTINGS_HINT}`,
      options,
    );
  if (status === 403)
    return new ConnectorError(
      'auth',
      `アクセストークンにこの操作の権限がありません。${SETTINGS_HINT}`,
      options,
    );
  if (errors?.some((error) => error.field === 'emp_code' && error.code === VENDOR.takenCode)) {
    return new ConnectorError(
      'conflict',
      `この社員番号はSmartHRの別の従業員に登録されています。${vendorSays}`,
      options,
    );
  }
  if (status === 400 || status === 422) {
    return new ConnectorError('validation', `SmartHRが値を受け付けませんでした。${vendorSays}`, options);
  }
  return undefined;
}

/** The page `Link: <…?page=N…>; rel="next"` points to; only its number is used, never its host. */
function nextPage(link: string | null, current: number): number | undefined {
  const next = link?.split(',').find((part) => /;\s*rel="?next"?/.test(part));
  const url = next?.match(/<([^>]+)>/)?.[1];
  if (!url) return undefined;
  const page = Number(new URL(url, 'https://link.invalid').searchParams.get('page'));
  if (!Number.isInteger(page) || page <= current) {
    throw new ConnectorError('protocol', 'SmartHRの一覧の次のページを示すLinkヘッダーが読み取れません。');
  }
  return page;
}

/**
 * SmartHR's API on core's http toolkit: a bearer token, `page`/`per_page` paging along `Link`, one rate
 * limiter per session (paced to the `x-rate-limit-*` headers by the toolkit). Returns SmartHR's own
 * records: mapping is the mapper's job.
 */
export function createClient(options: ClientOptions) {
  const { credentials, context } = options;
  const http = createHttpClient({
    baseUrl: options.baseUrl ?? baseUrlOf(credentials.tenant, ENVIRONMENTS[credentials.environment]),
    context,
    limiter: createRateLimiter(options.limits, context.clock),
    auth: createAuth(credentials),
    secrets: [credentials.apiToken],
    classifyError,
  });

  async function* pages<T>(path: string, schema: z.ZodType<T[]>, query: Record<string, string> = {}) {
    for (let page: number | undefined = 1; page !== undefined; ) {
      const { data, headers } = await http.request({
        path,
        query: { ...query, page, per_page: VENDOR.maxPageSize },
        requestClass: 'read',
        schema,
      });
      yield* data;
      page = nextPage(headers.get('link'), page);
    }
  }
  const all = async <T>(path: string, schema: z.ZodType<T[]>) => {
    const items: T[] = [];
    for await (const item of pages(path, schema)) items.push(item);
    return items;
  };

  return {
    /** The cheapest authenticated call. */
    async check(): Promise<void> {
      await http.request({
        path: VENDOR.paths.crews,
        query: { per_page: 1 },
        requestClass: 'read',
        schema: CrewPage,
      });
    },

    /** Every crew, unparsed. */
    crews: () => pages(VENDOR.paths.crews, CrewPage),

    /** One crew by 社員番号, unparsed; undefined when SmartHR has none. */
    async crew(code: string): Promise<unknown> {
      const { data } = await http.request({
        path: VENDOR.paths.crews,
        query: { emp_code: code, per_page: 1 },
        requestClass: 'read',
        schema: CrewPage,
      });
      return data.find((crew) => (crew as { emp_code?: unknown } | null)?.emp_code === code);
    },

    async masters(): Promise<Masters> {
      const [employmentType, department, jobTitle] = await Promise.all([
        all(VENDOR.paths.employmentTypes, MasterList),
        all(VENDOR.paths.departments, MasterList),
        all(VENDOR.paths.positions, MasterList),
      ]);
      return { employmentType, department, jobTitle };
    },

    async create(body: CrewCreateBody): Promise<void> {
      await http.request({
        method: 'POST',
        path: VENDOR.paths.crews,
        json: body,
        requestClass: 'write',
        schema: WrittenCrew,
      });
    },

    async update(id: string, body: CrewUpdateBody): Promise<void> {
      await http.request({
        method: 'PATCH',
        path: `${VENDOR.paths.crews}/${encodeURIComponent(id)}`,
        json: body,
        requestClass: 'write',
        schema: WrittenCrew,
        // The same PATCH twice leaves the same record: safe to resend after a lost answer.
        idempotent: true,
      });
    },
  };
}

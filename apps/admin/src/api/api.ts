// /api/v1: the HTTP API for scripts, with personal access tokens. Every route is declared with zod
// schemas (automation/schemas.ts), which validate requests and generate /api/v1/openapi.json.
import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { PlanStatus } from '@renkei/core';
import { HubError, visibleEmployee } from '@renkei/hub';
import { bodyLimit } from 'hono/body-limit';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import {
  ConnectionJson,
  connectionJson,
  Direction,
  EmployeeInput,
  EmployeeJson,
  ErrorBody,
  employeeJson,
  PlanEntry,
  PreviewJson,
  pageJson,
  pageSchema,
  previewJson,
  RunItemJson,
  RunJson,
  runItemJson,
  runJson,
} from '../automation/schemas.ts';
import { createPlan, findConnection, startFromPreview } from '../automation/sync.ts';
import { FORM_MAX_BYTES, formatBytes, isAbortedBody } from '../http/limits.ts';
import { type ApiEnv, authenticateToken, requireAdminUser, requireScope } from './auth.ts';
import { apiError, errorBody, knownError } from './errors.ts';

export const API_BASE = '/api/v1';

const json = <T extends z.ZodType>(schema: T, description: string) => ({
  content: { 'application/json': { schema } },
  description,
});

const ERROR_DESCRIPTIONS = {
  400: 'リクエストの形式が正しくありません',
  401: 'トークンがない、無効、失効、期限切れ',
  403: 'トークンの権限（scope）またはユーザーの役割が足りない',
  404: '見つからない',
  409: '競合（使用済み・古い差分、実行中の同期など）',
  413: '本文が大きすぎる',
  422: '内容の誤り（検証エラー）',
  502: '連携先との通信に失敗',
} as const;
type ErrorStatus = keyof typeof ERROR_DESCRIPTIONS;

const errors = (...statuses: ErrorStatus[]) =>
  Object.fromEntries(
    ([400, 401, 403, 413, ...statuses] as ErrorStatus[]).map((status) => [
      status,
      json(ErrorBody, ERROR_DESCRIPTIONS[status]),
    ]),
  );

const security = [{ bearerAuth: [] }];
const read = [requireScope('read')];
const sync = [requireScope('sync')];

const Id = z.object({ id: z.uuid().openapi({ param: { name: 'id', in: 'path' } }) });
const Code = z.object({
  code: z
    .string()
    .min(1)
    .max(64)
    .openapi({ param: { name: 'code', in: 'path' }, description: '社員番号' }),
});
const Paging = z.object({
  page: z.coerce.number().int().min(1).max(1_000_000).optional(),
  pageSize: z.coerce.number().int().min(1).max(500).optional(),
});

const CreatePreview = z
  .object({
    connection: z.string().min(1).max(200).openapi({ description: '連携先のIDまたは表示名' }),
    direction: Direction,
    dataArea: z
      .string()
      .min(1)
      .max(200)
      .optional()
      .openapi({ description: '省略時は画面と同じ既定（今の処理年度）' }),
    allowOlderArea: z.boolean().optional().openapi({ description: '前年度以前のデータ領域を明示的に使う' }),
    activeOnly: z.boolean().optional().openapi({ description: 'export の在籍者のみ（既定 true）' }),
    basisDate: z.iso.date().optional().openapi({ description: '情報取得基準日（既定: 今日）' }),
  })
  .strict()
  .openapi('CreatePreview');

const Codes = z.array(z.string().min(1).max(64)).max(100_000);
const StartRun = z
  .object({
    previewId: z.uuid(),
    selection: z
      .union([
        z.object({ codes: Codes.min(1) }).strict(),
        z
          .object({
            all: z
              .object({ status: z.array(PlanStatus).optional(), search: z.string().max(200).optional() })
              .strict(),
          })
          .strict(),
      ])
      .optional()
      .openapi({ description: '省略時は画面の「すべて選択」（新規登録・差分あり）＋確認済みの別人の可能性' }),
    confirmedMismatches: Codes.optional().openapi({
      description:
        '別人の可能性の社員番号を1人ずつ確認したもの。含まれない別人の可能性は書き込まれません（指定すれば拒否）',
    }),
  })
  .strict()
  .openapi('StartRun');

const EntryQuery = Paging.extend({
  status: PlanStatus.optional(),
  search: z.string().max(200).optional(),
});
const EmployeeQuery = Paging.extend({ search: z.string().max(200).optional() });

const routes = {
  listConnections: createRoute({
    method: 'get',
    path: '/connections',
    summary: '連携先の一覧',
    security,
    middleware: read,
    responses: { 200: json(z.object({ items: z.array(ConnectionJson) }), '連携先'), ...errors() },
  }),
  getConnection: createRoute({
    method: 'get',
    path: '/connections/{id}',
    summary: '連携先',
    security,
    middleware: read,
    request: { params: Id },
    responses: { 200: json(ConnectionJson, '連携先'), ...errors(404) },
  }),
  createPreview: createRoute({
    method: 'post',
    path: '/previews',
    summary: '差分を取得（画面の「差分を確認」と同じ既定）',
    security,
    middleware: sync,
    request: { body: { content: { 'application/json': { schema: CreatePreview } }, required: true } },
    responses: { 201: json(PreviewJson, '保存された差分'), ...errors(404, 422, 502) },
  }),
  getPreview: createRoute({
    method: 'get',
    path: '/previews/{id}',
    summary: '差分',
    security,
    middleware: [requireScope('read'), requireAdminUser],
    request: { params: Id },
    responses: { 200: json(PreviewJson, '差分'), ...errors(404) },
  }),
  listEntries: createRoute({
    method: 'get',
    path: '/previews/{id}/entries',
    summary: '差分の従業員ごとの内容（ページ単位）',
    security,
    middleware: [requireScope('read'), requireAdminUser],
    request: { params: Id, query: EntryQuery },
    responses: { 200: json(pageSchema(PlanEntry, 'PlanEntryPage'), '差分の内容'), ...errors(404) },
  }),
  startRun: createRoute({
    method: 'post',
    path: '/runs',
    summary: '差分から同期を開始（画面と同じ安全規則）',
    security,
    middleware: sync,
    request: { body: { content: { 'application/json': { schema: StartRun } }, required: true } },
    responses: { 201: json(RunJson, '開始した同期'), ...errors(404, 409, 422) },
  }),
  getRun: createRoute({
    method: 'get',
    path: '/runs/{id}',
    summary: '同期の状態',
    security,
    middleware: read,
    request: { params: Id },
    responses: { 200: json(RunJson, '同期'), ...errors(404) },
  }),
  listRunItems: createRoute({
    method: 'get',
    path: '/runs/{id}/items',
    summary: '同期の従業員ごとの結果（ページ単位）',
    security,
    middleware: read,
    request: { params: Id, query: Paging },
    responses: { 200: json(pageSchema(RunItemJson, 'RunItemPage'), '結果'), ...errors(404) },
  }),
  cancelRun: createRoute({
    method: 'post',
    path: '/runs/{id}/cancel',
    summary: '同期を中止',
    security,
    middleware: sync,
    request: { params: Id },
    responses: { 200: json(RunJson, '中止を受け付けた同期'), ...errors(404, 409) },
  }),
  retryRun: createRoute({
    method: 'post',
    path: '/runs/{id}/retry',
    summary: '失敗した従業員だけを再実行（新しい差分で）',
    security,
    middleware: sync,
    request: { params: Id },
    responses: { 201: json(RunJson, '再実行の同期'), ...errors(404, 409, 422, 502) },
  }),
  listEmployees: createRoute({
    method: 'get',
    path: '/employees',
    summary: '社員名簿（ページ単位。メンバーのトークンでは住所・生年月日を除き口座番号を伏せる）',
    security,
    middleware: read,
    request: { query: EmployeeQuery },
    responses: { 200: json(pageSchema(EmployeeJson, 'EmployeePage'), '従業員'), ...errors() },
  }),
  getEmployee: createRoute({
    method: 'get',
    path: '/employees/{code}',
    summary: '従業員',
    security,
    middleware: read,
    request: { params: Code },
    responses: { 200: json(EmployeeJson, '従業員'), ...errors(404) },
  }),
  upsertEmployee: createRoute({
    method: 'put',
    path: '/employees/{code}',
    summary: '従業員を登録または置き換え（社員名簿と同じ検証）',
    security,
    middleware: sync,
    request: {
      params: Code,
      body: { content: { 'application/json': { schema: EmployeeInput } }, required: true },
    },
    responses: {
      200: json(EmployeeJson, '置き換えた従業員'),
      201: json(EmployeeJson, '登録した従業員'),
      ...errors(422),
    },
  }),
};

/** Every route of the API (method and OpenAPI path), for the document's completeness test. */
export const API_ROUTES = Object.values(routes).map((route) => ({ method: route.method, path: route.path }));

export function createApi(): OpenAPIHono<ApiEnv> {
  const api = new OpenAPIHono<ApiEnv>({
    // A body that does not match its schema: 400 with what is wrong, field by field.
    defaultHook: (result, c) => {
      if (result.success) return;
      const issues = result.error.issues.map((issue) => ({
        field: issue.path.map(String).join('.') || 'body',
        message: issue.message,
      }));
      return c.json(errorBody('bad_request', 'リクエストの内容が正しくありません。', issues), 400);
    },
  });
  api.openAPIRegistry.registerComponent('securitySchemes', 'bearerAuth', {
    type: 'http',
    scheme: 'bearer',
    description: '管理画面の「APIトークン」で発行した rk_ で始まるトークン',
  });
  api.doc31('/openapi.json', {
    openapi: '3.1.0',
    info: {
      title: 'Renkei API',
      version: '1',
      description: '連携（Renkei）の差分取得・同期・社員名簿を操作する API。トークンは管理画面で発行します。',
    },
    servers: [{ url: API_BASE }],
  });
  api.use('*', async (c, next) => {
    c.header('cache-control', 'no-store');
    await next();
  });
  api.use(
    '*',
    bodyLimit({
      maxSize: FORM_MAX_BYTES,
      onError: (c) =>
        c.json(errorBody('too_large', `本文は ${formatBytes(FORM_MAX_BYTES)} までです。`), 413, {
          connection: 'close',
        }),
    }),
  );
  api.use('*', async (c, next) => {
    if (c.req.path === `${API_BASE}/openapi.json`) return next();
    return authenticateToken(c, next);
  });
  // Every change made with a token is in the audit log: which token, which route, what came of it.
  api.use('*', async (c, next) => {
    await next();
    if (c.req.method === 'GET' || c.res.status >= 400) return;
    const auth = c.get('api');
    if (auth)
      await c
        .get('deps')
        .hub.apiTokens.audit(auth.token.id, { method: c.req.method, path: c.req.path, status: c.res.status });
  });
  api.onError((error, c) => {
    const known = knownError(c, error);
    if (known) return known;
    // The validator's "malformed JSON" and the like: the client's mistake.
    if ((error instanceof HTTPException && error.status < 500) || isAbortedBody(error)) {
      return apiError(
        c,
        error instanceof HTTPException ? (error.status as ContentfulStatusCode) : 400,
        'bad_request',
        'リクエストを読み取れません（JSON の形式など）。',
      );
    }
    const logger = c.get('deps').logger;
    if (logger) logger.error('api request failed', { requestId: c.get('requestId'), error: String(error) });
    else console.error(error);
    return apiError(c, 500, 'internal', 'サーバーでエラーが発生しました。');
  });
  api.notFound((c) => apiError(c, 404, 'not_found', 'このAPIはありません。'));

  const hub = (c: { get(key: 'deps'): ApiEnv['Variables']['deps'] }) => c.get('deps').hub;
  const actor = (c: { get(key: 'api'): ApiEnv['Variables']['api'] }) => c.get('api').user.id;

  api.openapi(routes.listConnections, async (c) => {
    const connections = await hub(c).connections.list();
    return c.json({ items: connections.map(connectionJson) }, 200);
  });
  api.openapi(routes.getConnection, async (c) => {
    const connection = await hub(c).connections.get(c.req.valid('param').id);
    if (!connection) throw new HubError('not_found', '連携先が見つかりません。');
    return c.json(connectionJson(connection), 200);
  });
  api.openapi(routes.createPreview, async (c) => {
    const body = c.req.valid('json');
    const preview = await createPlan(hub(c), actor(c), {
      connection: await findConnection(hub(c), body.connection),
      direction: body.direction,
      dataArea: body.dataArea,
      allowOlderArea: body.allowOlderArea,
      activeOnly: body.activeOnly,
      basisDate: body.basisDate,
    });
    return c.json(previewJson(preview), 201);
  });
  api.openapi(routes.getPreview, async (c) => {
    const preview = await hub(c).previews.get(c.req.valid('param').id);
    if (!preview) throw new HubError('not_found', 'プレビューが見つかりません。');
    return c.json(previewJson(preview), 200);
  });
  api.openapi(routes.listEntries, async (c) => {
    const { id } = c.req.valid('param');
    if (!(await hub(c).previews.get(id))) throw new HubError('not_found', 'プレビューが見つかりません。');
    const query = c.req.valid('query');
    const page = await hub(c).previews.entries(id, {
      ...(query.page ? { page: query.page } : {}),
      ...(query.pageSize ? { pageSize: query.pageSize } : {}),
      ...(query.status ? { status: query.status } : {}),
      ...(query.search ? { search: query.search } : {}),
    });
    return c.json(
      pageJson(page, (entry) => entry),
      200,
    );
  });
  api.openapi(routes.startRun, async (c) => {
    const body = c.req.valid('json');
    const run = await startFromPreview(hub(c), actor(c), {
      previewId: body.previewId,
      selection: body.selection,
      confirmedMismatches: body.confirmedMismatches ?? [],
    });
    return c.json(runJson(run), 201);
  });
  api.openapi(routes.getRun, async (c) => {
    const run = await hub(c).runs.get(c.req.valid('param').id);
    if (!run) throw new HubError('not_found', '同期が見つかりません。');
    return c.json(runJson(run), 200);
  });
  api.openapi(routes.listRunItems, async (c) => {
    const { id } = c.req.valid('param');
    if (!(await hub(c).runs.get(id))) throw new HubError('not_found', '同期が見つかりません。');
    const query = c.req.valid('query');
    const page = await hub(c).runs.items(id, {
      ...(query.page ? { page: query.page } : {}),
      ...(query.pageSize ? { pageSize: query.pageSize } : {}),
    });
    return c.json(pageJson(page, runItemJson), 200);
  });
  api.openapi(routes.cancelRun, async (c) => {
    return c.json(runJson(await hub(c).runs.cancel(actor(c), c.req.valid('param').id)), 200);
  });
  api.openapi(routes.retryRun, async (c) => {
    return c.json(runJson(await hub(c).runs.retryFailed(actor(c), c.req.valid('param').id)), 201);
  });
  api.openapi(routes.listEmployees, async (c) => {
    const query = c.req.valid('query');
    const role = c.get('api').user.role;
    const page = await hub(c).employees.list({
      ...(query.page ? { page: query.page } : {}),
      ...(query.pageSize ? { pageSize: query.pageSize } : {}),
      ...(query.search ? { search: query.search } : {}),
    });
    return c.json(
      pageJson(page, (record) => employeeJson(record, visibleEmployee(role, record.employee))),
      200,
    );
  });
  api.openapi(routes.getEmployee, async (c) => {
    const record = await hub(c).employees.get(c.req.valid('param').code);
    if (!record) throw new HubError('not_found', '従業員が見つかりません。');
    return c.json(employeeJson(record, visibleEmployee(c.get('api').user.role, record.employee)), 200);
  });
  api.openapi(routes.upsertEmployee, async (c) => {
    const { code } = c.req.valid('param');
    const body = c.req.valid('json') as Record<string, unknown>;
    const existing = await hub(c).employees.get(code);
    if (!existing) {
      const created = await hub(c).employees.create(actor(c), { employeeCode: code, ...body });
      return c.json(employeeJson(created, created.employee), 201);
    }
    // PUT replaces: a field the body leaves out is cleared.
    const patch = Object.fromEntries(
      Object.keys(EmployeeInput.shape).map((field) => [field, body[field] ?? null]),
    );
    const updated = await hub(c).employees.update(actor(c), existing.employee.employeeCode, patch);
    return c.json(employeeJson(updated, updated.employee), 200);
  });
  return api;
}

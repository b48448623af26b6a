import type { Clock, RequestClass } from '@renkei/core';
import { bearerToken, type FakeGateway, type VendorAnswers } from '@renkei/testkit/fakes';
import { HttpResponse, http } from 'msw';
import {
  type BEMaster,
  type BEMasterSyain,
  type BEResult,
  conditionEntity,
  resultEntity,
  wrapList,
} from '../api.ts';
import type { PcaProduct } from '../product.ts';
import { PCA, productRoot } from '../vendor.ts';
import type { FakeCredentials } from './seed.ts';
import {
  type AreaState,
  activeSessions,
  type FakeState,
  holdsLicence,
  issueToken,
  type LoginSession,
} from './store.ts';
import { parseRecord, storedCode, validateRecord, versionProblem } from './validate.ts';

/** What the handlers share with the fake that owns them. */
export interface HandlerContext {
  product: PcaProduct;
  datacenter: string;
  credentials: FakeCredentials;
  licences: number;
  clock: Clock;
  gateway: FakeGateway;
  state: () => FakeState;
  /** A password grant refused because every licence was held. */
  onLicenceRefused: () => void;
  onWritten: (fields: readonly string[]) => void;
  /** Which of the two write-answer shapes the fake answers in (see vendor.ts `writeAnswers`). */
  writeAnswerShape: () => WriteAnswerShape;
}

/** `modelled`: 200 with `Status` per record; `integration`: the 商魂 shape, non-200 when a record failed. */
export type WriteAnswerShape = 'modelled' | 'integration';

const { codes, status, entities } = PCA;

const error = (httpStatus: number, code: string, message: string, headers?: Record<string, string>) =>
  HttpResponse.json({ Code: code, Message: message }, { status: httpStatus, headers });

/** How PCA words the answers its gateway gives (limits, faults). */
export const PCA_ANSWERS: VendorAnswers = {
  tooManyRequests: (retryAfterSeconds, httpStatus) =>
    error(httpStatus, codes.tooManyRequests, 'APIの呼び出し回数が上限を超えました。', {
      'Retry-After': String(retryAfterSeconds),
    }),
  serverError: (httpStatus) =>
    error(httpStatus, codes.serverError, 'サーバーで一時的なエラーが発生しました。'),
  expiredToken: () => error(status.token, codes.tokenExpired, 'アクセストークンの有効期限が切れています。'),
  malformedBody: (httpStatus) =>
    HttpResponse.json({ Result: '<html>maintenance</html>' }, { status: httpStatus }),
};

type Resolved = Response | Promise<Response>;

export function createHandlers(ctx: HandlerContext) {
  const root = productRoot(ctx.datacenter, ctx.product.productCode);
  const masterEntities: Record<string, keyof AreaState['masters']> = {
    [entities.department]: 'department',
    [entities.jobTitle]: 'jobTitle',
    [entities.employmentType]: 'employmentType',
  };

  /** The gateway (limits, faults, request log) around one request; `codes` are the employees it concerns. */
  const serve = (
    request: Request,
    requestClass: RequestClass,
    employeeCodes: readonly string[] | undefined,
    run: () => Resolved,
  ): Promise<Response> =>
    ctx.gateway.serve(request, { scope: requestClass, ...(employeeCodes ? { employeeCodes } : {}) }, run);

  /** The login behind the bearer token, or the 401 PCA answers. */
  function authorise(request: Request): LoginSession | Response {
    const token = bearerToken(request);
    const entry = token ? ctx.state().tokens.get(token) : undefined;
    const session = entry ? ctx.state().sessions.get(entry.sessionId) : undefined;
    const now = ctx.clock.now();
    // A login PCA timed out is gone, token and all.
    if (!entry || !session || !holdsLicence(session, now)) {
      return error(status.token, codes.tokenInvalid, 'アクセストークンが無効です。');
    }
    if (entry.expiresAt <= now) {
      return error(status.token, codes.tokenExpired, 'アクセストークンの有効期限が切れています。');
    }
    session.lastUsedAt = now;
    return session;
  }

  /** The selected area of the login, or the error PCA gives before SelectDataArea. */
  function selectedArea(session: LoginSession): AreaState | Response {
    const area = session.area ? ctx.state().areas.get(session.area) : undefined;
    if (!area) {
      return error(
        status.validation,
        codes.dataAreaNotSelected,
        'データ領域が選択されていません。SelectDataArea でデータ領域を選択してください。',
      );
    }
    return area;
  }

  /** A business call: authorised, bound to an area. */
  const business =
    (requestClass: RequestClass, handler: (area: AreaState, request: Request, body: unknown) => Resolved) =>
    async ({ request }: { request: Request }) => {
      const body = request.method === 'GET' ? undefined : await request.json().catch(() => undefined);
      return serve(request, requestClass, codesIn(body), () => {
        const session = authorise(request);
        if (session instanceof Response) return session;
        const area = selectedArea(session);
        if (area instanceof Response) return area;
        return handler(area, request, body);
      });
    };

  const session =
    (handler: (session: LoginSession, body: unknown) => Resolved) =>
    async ({ request }: { request: Request }) => {
      const body = request.method === 'GET' ? undefined : await request.json().catch(() => undefined);
      return serve(request, 'read', undefined, () => {
        const login = authorise(request);
        return login instanceof Response ? login : handler(login, body);
      });
    };

  return [
    http.post(`${root}/${PCA.paths.token}`, async ({ request }) => {
      const form = new URLSearchParams(await request.text());
      return serve(request, 'auth', undefined, () => token(form));
    }),

    http.post(
      `${root}/${PCA.paths.findDataArea}`,
      session(() =>
        HttpResponse.json(
          wrapList(
            entities.dataArea,
            [...ctx.state().areas.values()].map((area) => area.info),
          ),
        ),
      ),
    ),

    http.post(
      `${root}/${PCA.paths.selectDataArea}`,
      session((login, body) => {
        const name = (body as { DataArea?: unknown } | undefined)?.DataArea;
        const area = typeof name === 'string' ? ctx.state().areas.get(name) : undefined;
        if (!area) {
          return error(
            status.notFound,
            codes.dataAreaNotFound,
            `データ領域「${String(name)}」が見つかりません。`,
          );
        }
        login.area = area.info.Name;
        return HttpResponse.json({ [`BE${entities.dataArea}`]: area.info });
      }),
    ),

    http.get(
      `${root}/${PCA.paths.getLogOnDataArea}`,
      session((login) => {
        const area = selectedArea(login);
        return area instanceof Response ? area : HttpResponse.json({ [`BE${entities.dataArea}`]: area.info });
      }),
    ),

    http.post(
      `${root}/${PCA.paths.logout}`,
      session((login) => {
        login.open = false;
        for (const [token, entry] of ctx.state().tokens) {
          if (entry.sessionId === login.id) ctx.state().tokens.delete(token);
        }
        return HttpResponse.json({});
      }),
    ),

    http.get(
      `${root}/${PCA.paths.company}`,
      business('read', (area) => {
        const { company } = area;
        const settings =
          company.reportsCodeRule === false
            ? {}
            : {
                [PCA.company.codeLength]: company.codeLength,
                [PCA.company.codeFillZero]: company.codeFillZero
                  ? PCA.company.fillZero.on
                  : PCA.company.fillZero.off,
              };
        return HttpResponse.json({ [`BE${entities.company}`]: { BEVersion: 1, ...settings } });
      }),
    ),

    http.get(
      `${root}/Find/:entity`,
      business('read', (area, request) => {
        const entity = new URL(request.url).pathname.split('/').pop() ?? '';
        const masterKind = masterEntities[entity];
        if (entity !== entities.employee && !masterKind) {
          return error(status.notFound, codes.invalidRequest, `エンティティ ${entity} はありません。`);
        }
        const rows = () =>
          masterKind
            ? area.masters[masterKind].map(
                (entry): BEMaster => ({ BEVersion: 1, Code: entry.code, Name: entry.name }),
              )
            : [...area.employees.values()];
        return page(area, entity, new URL(request.url).searchParams, rows);
      }),
    ),

    http.post(
      `${root}/FindByCondition/${entities.employee}`,
      business('read', (area, request, body) => {
        const conditions = unwrap(body, conditionEntity(entities.employee), isBulk(request));
        if (!conditions)
          return error(status.validation, codes.invalidRequest, '検索条件の形式が正しくありません。');
        const found = new Map<string, BEMasterSyain>();
        for (const condition of conditions) {
          const code = (condition as { Code?: unknown } | null)?.Code;
          const stored = typeof code === 'string' ? storedCode(code, area.codeRule) : undefined;
          const record = stored && 'code' in stored ? area.employees.get(stored.code) : undefined;
          if (record) found.set(record.Code, record);
        }
        return HttpResponse.json(wrapList(entities.employee, [...found.values()]));
      }),
    ),

    http.post(
      `${root}/Create/${entities.employee}`,
      business('write', (area, request, body) => write(area, request, body, createOne)),
    ),
    http.post(
      `${root}/Modify/${entities.employee}`,
      business('write', (area, request, body) => write(area, request, body, modifyOne)),
    ),
  ];

  function token(form: URLSearchParams): Response {
    const state = ctx.state();
    const now = ctx.clock.now();
    const { credentials } = ctx;
    if (
      form.get('client_id') !== credentials.clientId ||
      form.get('client_secret') !== credentials.clientSecret
    ) {
      return error(
        status.token,
        codes.invalidCredentials,
        'クライアントIDまたはクライアントシークレットが正しくありません。',
      );
    }
    const grant = form.get('grant_type');
    if (grant === 'refresh_token') {
      const login = [...state.sessions.values()].find((s) => s.refreshToken === form.get('refresh_token'));
      if (!login || !holdsLicence(login, now)) {
        return error(
          status.token,
          codes.refreshTokenInvalid,
          'リフレッシュトークンが無効か、有効期限が切れています。',
        );
      }
      for (const [token, entry] of state.tokens) if (entry.sessionId === login.id) state.tokens.delete(token);
      login.lastUsedAt = now;
      return tokenResponse(issueToken(state, login.id, now), login.refreshToken);
    }
    if (grant !== 'password') {
      return error(status.validation, codes.invalidRequest, `grant_type「${grant}」には対応していません。`);
    }
    if (
      form.get('service_id') !== credentials.serviceId ||
      form.get('service_password') !== credentials.servicePassword ||
      form.get('username') !== credentials.username ||
      form.get('password') !== credentials.password
    ) {
      return error(
        status.token,
        codes.invalidCredentials,
        'サービスID・サービスパスワード・ユーザー名・パスワードのいずれかが正しくありません。',
      );
    }
    if (activeSessions(state, now).length >= ctx.licences) {
      ctx.onLicenceRefused();
      return error(
        status.licence,
        codes.licenceExhausted,
        `同時接続数の上限（${ctx.licences}）に達しています。ログアウトしていない接続を終了してから再度お試しください。`,
      );
    }
    const login: LoginSession = {
      id: ++state.counter,
      area: undefined,
      refreshToken: `pca-rt-${state.counter}-${Math.random().toString(36).slice(2)}`,
      refreshExpiresAt: now + PCA.refreshTokenTtlMs,
      open: true,
      lastUsedAt: now,
    };
    state.sessions.set(login.id, login);
    return tokenResponse(issueToken(state, login.id, now), login.refreshToken);
  }

  function tokenResponse(accessToken: string, refreshToken: string): Response {
    return HttpResponse.json({
      access_token: accessToken,
      refresh_token: refreshToken,
      token_type: 'Bearer',
      expires_in: PCA.accessTokenTtlMs / 1000,
    });
  }

  function page(
    area: AreaState,
    entity: string,
    query: URLSearchParams,
    rows: () => readonly unknown[],
  ): Response {
    const state = ctx.state();
    const now = ctx.clock.now();
    const limit = Number(query.get('Limit') ?? ctx.product.pageSize);
    const offset = Number(query.get('Offset') ?? 0);
    if (!Number.isInteger(limit) || limit < 1 || limit > ctx.product.maxPageSize) {
      return error(
        status.validation,
        codes.invalidRequest,
        `Limit は 1〜${ctx.product.maxPageSize} で指定してください。`,
      );
    }
    if (!Number.isInteger(offset) || offset < 0) {
      return error(status.validation, codes.invalidRequest, 'Offset は 0 以上で指定してください。');
    }
    let snapshotId = query.get('SnapshotId');
    let snapshot = snapshotId ? state.snapshots.get(snapshotId) : undefined;
    if (
      snapshotId &&
      (!snapshot ||
        snapshot.expiresAt <= now ||
        snapshot.area !== area.info.Name ||
        snapshot.entity !== entity)
    ) {
      return error(
        status.notFound,
        codes.snapshotNotFound,
        'スナップショットが見つからないか、有効期限が切れています。',
      );
    }
    if (!snapshot) {
      snapshotId = `snap-${++state.counter}`;
      const sorted = [...rows()].sort((a, b) =>
        String((a as BEMaster).Code).localeCompare(String((b as BEMaster).Code)),
      );
      snapshot = {
        area: area.info.Name,
        entity,
        rows: structuredClone(sorted),
        expiresAt: now + PCA.snapshotTtlMs,
      };
      state.snapshots.set(snapshotId, snapshot);
    }
    return HttpResponse.json(wrapList(entity, snapshot.rows.slice(offset, offset + limit)), {
      headers: {
        [PCA.paging.snapshotHeader]: String(snapshotId),
        [PCA.paging.totalHeader]: String(snapshot.rows.length),
      },
    });
  }

  function write(
    area: AreaState,
    request: Request,
    body: unknown,
    one: (area: AreaState, raw: unknown) => BEResult,
  ): Response {
    const bulk = isBulk(request);
    const items = unwrap(body, entities.employee, bulk);
    if (!items) return error(status.validation, codes.invalidRequest, '社員データの形式が正しくありません。');
    if (items.length > PCA.writeBatchSize) {
      return error(
        status.validation,
        codes.invalidRequest,
        `一度に送信できるのは${PCA.writeBatchSize}件までです。`,
      );
    }
    for (const item of items) if (item && typeof item === 'object') ctx.onWritten(Object.keys(item));
    const results = items.map((item) => one(area, item));
    if (bulk && ctx.writeAnswerShape() === 'integration') return integrationAnswer(results);
    if (bulk) return HttpResponse.json(wrapList(resultEntity(entities.employee), results));
    const [result] = results as [BEResult];
    return result.Status === PCA.recordStatus.success
      ? HttpResponse.json({ [`BE${entities.employee}`]: result.Target })
      : error(status.validation, codes.invalidRequest, result.ErrorMessage ?? '');
  }

  /**
   * The 商魂 shape: `ArrayOfBE{Product}IntegrationResultOfBE{Entity}` with `InnerStatus` per record;
   * a batch with a failed record answers 400 with the list inside `BusinessValue` (the others are
   * committed).
   */
  function integrationAnswer(results: readonly BEResult[]): Response {
    const entity = PCA.writeAnswers.integrationResult(
      ctx.product.productCode.replace(/\d+$/, ''),
      entities.employee,
    );
    const list = wrapList(
      entity,
      results.map((result) => ({
        InnerStatus: result.Status,
        ErrorMessage: result.ErrorMessage ?? null,
        Target: result.Target ? { [`BE${entities.employee}`]: result.Target } : null,
      })),
    );
    const failed = results.some((result) => result.Status !== PCA.recordStatus.success);
    return failed
      ? HttpResponse.json(
          {
            Code: codes.invalidRequest,
            Message: '登録できないデータがあります。',
            [PCA.writeAnswers.businessValue]: list,
          },
          { status: status.validation },
        )
      : HttpResponse.json(list);
  }

  function createOne(area: AreaState, raw: unknown): BEResult {
    const parsed = parseRecord(raw, ctx.product);
    if ('error' in parsed) return failure(raw, parsed.error);
    const stored = storedCode(parsed.record.Code, area.codeRule);
    if ('error' in stored) return failure(raw, stored.error);
    if (area.employees.has(stored.code))
      return failure(raw, `社員コード「${stored.code}」は既に登録されています。`);
    const { Id: _id, UpdateTime: _time, BEVersion: _version, ...values } = parsed.record;
    const record: BEMasterSyain = { ...values, Code: stored.code };
    const problem = validateRecord(record, {
      product: ctx.product,
      masters: area.masters,
    });
    if (problem) return failure(raw, problem);
    return save(area, { ...record, Id: area.nextId++, BEVersion: 1 });
  }

  function modifyOne(area: AreaState, raw: unknown): BEResult {
    const parsed = parseRecord(raw, ctx.product);
    if ('error' in parsed) return failure(raw, parsed.error);
    const stored = storedCode(parsed.record.Code, area.codeRule);
    const current = 'code' in stored ? area.employees.get(stored.code) : undefined;
    if (!current) return failure(raw, `社員コード「${parsed.record.Code}」は登録されていません。`);
    const versionError = versionProblem(parsed.record.BEVersion, current.BEVersion);
    if (versionError) return failure(raw, versionError);
    const { Id: _id, UpdateTime: _time, BEVersion: _version, Code: _code, ...changes } = parsed.record;
    const record: BEMasterSyain = { ...current, ...changes };
    const problem = validateRecord(record, {
      product: ctx.product,
      masters: area.masters,
    });
    if (problem) return failure(raw, problem);
    return save(area, { ...record, BEVersion: (current.BEVersion ?? 0) + 1 });
  }

  function save(area: AreaState, record: BEMasterSyain): BEResult {
    const saved = { ...record, UpdateTime: new Date(ctx.clock.now()).toISOString() };
    area.employees.set(saved.Code, saved);
    return {
      Status: PCA.recordStatus.success,
      ErrorMessage: null,
      Code: saved.Code,
      Target: structuredClone(saved),
    };
  }
}

function failure(raw: unknown, message: string): BEResult {
  const code = (raw as { Code?: unknown } | null)?.Code;
  return {
    Status: PCA.recordStatus.failure,
    ErrorMessage: message,
    ...(typeof code === 'string' ? { Code: code } : {}),
    Target: null,
  };
}

const isBulk = (request: Request) => new URL(request.url).searchParams.get('Element') === 'Array';

/** The records of a single or bulk (`?Element=Array`) body, or undefined when it is neither. */
function unwrap(body: unknown, entity: string, bulk: boolean): unknown[] | undefined {
  if (typeof body !== 'object' || body === null) return undefined;
  if (!bulk) {
    const item = (body as Record<string, unknown>)[`BE${entity}`];
    return item && typeof item === 'object' ? [item] : undefined;
  }
  const list = (body as Record<string, unknown>)[`ArrayOfBE${entity}`];
  if (typeof list !== 'object' || list === null) return undefined;
  const items = (list as Record<string, unknown>)[`BE${entity}`];
  if (items === undefined) return [];
  return Array.isArray(items) ? items : [items];
}

/** The 社員番号 a body concerns, in both padded and unpadded spelling (for fault targeting). */
function codesIn(body: unknown): string[] | undefined {
  if (typeof body !== 'object' || body === null) return undefined;
  const found: string[] = [];
  const visit = (value: unknown) => {
    if (Array.isArray(value)) value.forEach(visit);
    else if (value && typeof value === 'object') {
      for (const [key, inner] of Object.entries(value)) {
        if (key === 'Code' && typeof inner === 'string') found.push(inner, inner.replace(/^0+(?=\d)/, ''));
        else visit(inner);
      }
    }
  };
  visit(body);
  return found.length > 0 ? found : undefined;
}

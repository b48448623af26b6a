import {
  type AuthHook,
  type ConnectorContext,
  ConnectorError,
  createHttpClient,
  type RateLimiter,
  toConnectorError,
} from '@renkei/core';
import { z } from 'zod';
import {
  type BECommonDataArea,
  type BEMasterSyain,
  BESyainCondition,
  type CompanyCodeSettings,
  conditionEntity,
  listOf,
  schemas,
  TokenResponse,
  wrapList,
} from './api.ts';
import { classifyPcaError, loginAnswerLostError, loginHeldError } from './errors.ts';
import type { PcaProduct } from './product.ts';
import { PCA, productRoot } from './vendor.ts';
import { perRecordAnswers, type WriteOutcome, writeOutcomes } from './write-answers.ts';

/** The four values PCA's setup asks for, the registered app's id and secret, and the datacenter. */
export interface PcaCredentials {
  serviceId: string;
  servicePassword: string;
  username: string;
  password: string;
  clientId: string;
  clientSecret: string;
  datacenter: string;
}

export interface PcaLoginOptions {
  product: PcaProduct;
  credentials: PcaCredentials;
  context: ConnectorContext;
  /** Shared by every login of one connection, so together they stay under PCA's limits. */
  limiter: RateLimiter;
  /** Shared by every login of one connection: once a login's answer was lost, none logs in again. */
  guard: LoginGuard;
}

/** A connection's record of a password grant whose answer was lost (see loginAnswerLostError). */
export interface LoginGuard {
  lost: ConnectorError | undefined;
}

/**
 * One PCA login: a password-grant token (holding one licence) that SelectDataArea binds to one
 * data area, refreshed on `WEBSV6001xx`, until `logout()`. Logout runs on its own signal so it
 * still happens after the run was cancelled.
 */
export interface PcaLogin {
  readonly area: string | undefined;
  findDataAreas(): Promise<BECommonDataArea[]>;
  selectDataArea(name: string): Promise<BECommonDataArea>;
  logOnDataArea(): Promise<BECommonDataArea>;
  /** 会社基本情報 of the selected area's company: 社員コード桁数 and ０詰め, as far as it says. */
  company(): Promise<CompanyCodeSettings>;
  /** Pages of one `Find`, all from one snapshot. */
  find<T extends z.ZodType>(entity: string, item: T, pageSize: number): AsyncGenerator<z.output<T>[]>;
  findEmployees(codes: readonly string[]): Promise<BEMasterSyain[]>;
  /** One Create or Modify call of at most 10 records; one outcome per record, in order. */
  write(op: 'create' | 'modify', records: readonly BEMasterSyain[]): Promise<WriteOutcome[]>;
  /** Releases the licence; does nothing when no token was obtained or it already ran. */
  logout(): Promise<void>;
}

interface Tokens {
  access: string | undefined;
  refresh: string;
}

export function openPcaLogin(options: PcaLoginOptions): PcaLogin {
  const { product, credentials, context, limiter, guard } = options;
  const baseUrl = productRoot(credentials.datacenter, product.productCode);
  const secrets = [credentials.servicePassword, credentials.password, credentials.clientSecret];
  const classifyError = classifyPcaError(product.displayName);
  let tokens: Tokens | undefined;
  let area: string | undefined;
  let loggedOut = false;

  // Replaced by one on a live signal for the Logout (see logout()).
  let tokenClient = createHttpClient({ baseUrl, context, limiter, secrets, classifyError });
  const grant = async (form: Record<string, string>): Promise<Tokens> => {
    const { data } = await tokenClient.request({
      method: 'POST',
      path: PCA.paths.token,
      form: { ...form, client_id: credentials.clientId, client_secret: credentials.clientSecret },
      requestClass: 'auth',
      schema: TokenResponse,
      auth: false,
      // A lost answer may have started a session: never log in twice blindly.
      idempotent: false,
    });
    return { access: data.access_token, refresh: data.refresh_token };
  };

  let pending: Promise<string> | undefined;
  const auth: AuthHook = {
    async headers() {
      if (loggedOut) throw new Error('PCA login already logged out');
      if (!tokens?.access) {
        pending ??= (async () => {
          if (tokens) tokens = await grant({ grant_type: 'refresh_token', refresh_token: tokens.refresh });
          else {
            if (guard.lost) throw guard.lost;
            // Another worker of this connection may have lost a login's answer: no blind login either.
            const held = await context.loginHold?.current();
            if (held) {
              guard.lost ??= loginHeldError(product.displayName, held);
              throw guard.lost;
            }
            const since = context.clock.now();
            try {
              tokens = await grant({
                grant_type: 'password',
                service_id: credentials.serviceId,
                service_password: credentials.servicePassword,
                username: credentials.username,
                password: credentials.password,
              });
            } catch (error) {
              if (error instanceof ConnectorError && error.ambiguous) {
                const hold = { since, until: since + PCA.sessionTimeoutMs };
                await context.loginHold?.place(hold).catch((reason: unknown) => {
                  context.logger.error('ログインの応答が届かなかったことを記録できませんでした', {
                    error: toConnectorError(reason).message,
                  });
                });
                guard.lost ??= loginAnswerLostError(product.displayName, hold, error);
                throw guard.lost;
              }
              throw error;
            }
          }
          return tokens.access as string;
        })().finally(() => {
          pending = undefined;
        });
        await pending;
      }
      return { authorization: `Bearer ${tokens?.access}` };
    },
    invalidate() {
      if (tokens) tokens.access = undefined;
    },
  };

  const client = createHttpClient({ baseUrl, context, limiter, secrets, classifyError, auth });
  // Writes read a non-200 that wraps per-record results as those results (see write-answers.ts).
  const writeClient = createHttpClient({
    baseUrl,
    context: { ...context, fetch: perRecordAnswers(context.fetch) },
    limiter,
    secrets,
    classifyError,
    auth,
  });

  const post = async <T>(
    path: string,
    json: unknown,
    schema: z.ZodType<T>,
    requestClass: 'read' | 'write' = 'read',
    query?: Record<string, string>,
  ) =>
    (
      await client.request({
        method: 'POST',
        path,
        json,
        schema,
        requestClass,
        idempotent: requestClass === 'read',
        ...(query ? { query } : {}),
      })
    ).data;
  const bulk = { Element: 'Array' };

  return {
    get area() {
      return area;
    },
    findDataAreas: () => post(PCA.paths.findDataArea, {}, schemas.dataAreas),
    async selectDataArea(name) {
      const selected = await post(PCA.paths.selectDataArea, { DataArea: name }, schemas.dataArea);
      area = selected.Name;
      return selected;
    },
    async logOnDataArea() {
      return (
        await client.request({
          path: PCA.paths.getLogOnDataArea,
          schema: schemas.dataArea,
          requestClass: 'read',
        })
      ).data;
    },
    async company() {
      return (
        await client.request({ path: PCA.paths.company, schema: schemas.company, requestClass: 'read' })
      ).data;
    },
    async *find(entity, item, pageSize) {
      const schema = listOf(entity, item);
      const path = PCA.paths.find(entity);
      const first = await client.request({ path, query: { Limit: pageSize }, schema, requestClass: 'read' });
      yield first.data;
      const snapshotId = first.headers.get(PCA.paging.snapshotHeader);
      const total = Number(first.headers.get(PCA.paging.totalHeader) ?? first.data.length);
      let offset = first.data.length;
      while (snapshotId && offset < total) {
        const page = await client.request({
          path,
          query: { SnapshotId: snapshotId, Offset: offset, Limit: pageSize },
          schema,
          requestClass: 'read',
        });
        if (page.data.length === 0) break;
        yield page.data;
        offset += page.data.length;
      }
    },
    async findEmployees(codes) {
      if (codes.length === 0) return [];
      const entity = conditionEntity(PCA.entities.employee);
      const conditions = codes.map((code) => BESyainCondition.parse({ Code: code }));
      return post(
        PCA.paths.findByCondition(PCA.entities.employee),
        wrapList(entity, conditions),
        schemas.employees,
        'read',
        bulk,
      );
    },
    async write(op, records) {
      if (records.length > PCA.writeBatchSize) {
        throw new RangeError(
          `PCA takes at most ${PCA.writeBatchSize} records per call, got ${records.length}`,
        );
      }
      const path =
        op === 'create' ? PCA.paths.create(PCA.entities.employee) : PCA.paths.modify(PCA.entities.employee);
      const { data } = await writeClient.request({
        method: 'POST',
        path,
        json: wrapList(PCA.entities.employee, records),
        schema: z.unknown(),
        requestClass: 'write',
        idempotent: false,
        query: bulk,
      });
      const answer = writeOutcomes(data);
      if (!answer) {
        throw new ConnectorError(
          'protocol',
          `${product.displayName}の書き込みの応答を読み取れません。書き込まれた可能性があります。`,
          { ambiguous: true },
        );
      }
      if (answer.length !== records.length) {
        throw new ConnectorError(
          'protocol',
          `${product.displayName}の応答の件数（${answer.length}件）が送信した件数（${records.length}件）と一致しません。`,
          { ambiguous: true },
        );
      }
      return answer;
    },
    async logout() {
      if (loggedOut || !tokens) return;
      // The run's signal may be aborted already; the licence must still be released, and so must
      // a token refresh the Logout needs (one already under way on the old signal is let fail).
      const live = { ...context, signal: new AbortController().signal };
      await pending?.catch(() => {});
      tokenClient = createHttpClient({ baseUrl, context: live, limiter, secrets, classifyError });
      const cleanup = createHttpClient({ baseUrl, context: live, limiter, secrets, classifyError, auth });
      try {
        await cleanup.request({
          method: 'POST',
          path: PCA.paths.logout,
          json: {},
          schema: z.unknown(),
          requestClass: 'read',
          idempotent: true,
        });
      } finally {
        loggedOut = true;
        tokens = undefined;
      }
    },
  };
}

import { randomUUID } from 'node:crypto';
import {
  type ConnectorDefinition,
  type ConnectorErrorInfo,
  type ConnectorSession,
  type DataArea,
  FieldKey,
  IMPLICIT_DATA_AREA,
  NamePreference,
  type NewEmployeeDefault,
  OrgRefMatch,
  SyncMode,
  type SyncModes,
  toConnectorError,
} from '@renkei/core';
import { asc, eq } from 'drizzle-orm';
import { z } from 'zod';
import { recordAudit } from '../audit/audit.ts';
import { type DirectionPolicy, parsePolicy, type SyncPolicy } from '../automation/policy.ts';
import { type ContextSources, connectorContext } from '../context.ts';
import type { Db } from '../db/adapter.ts';
import { connections } from '../db/schema.ts';
import { HubError } from '../errors.ts';
import { open, seal } from '../secrets/cipher.ts';
import { isUuid, zodIssues } from '../validation.ts';
import { clearLoginHold, createLoginHold } from './login-hold.ts';
import { createRateBudget } from './rate-budget.ts';

export interface Connection {
  id: string;
  connectorId: string;
  displayName: string;
  /** Which credential keys hold a value; the values never leave the hub. */
  credentialKeys: string[];
  fieldModes: SyncModes;
  /** How 部署・雇用形態・役職 match: by code when both sides have one (default), or by name only. */
  orgRefMatch: OrgRefMatch;
  /** Which name exports write as 姓/名: the legal name (default) or the ビジネスネーム where set. */
  namePreference: NamePreference;
  defaultDataArea: string | null;
  /** 同期ルール per direction; null until saved. */
  syncPolicy: SyncPolicy | null;
  createdAt: Date;
  updatedAt: Date;
}

export interface NewConnection {
  connectorId: string;
  displayName: string;
  /**
   * On create, the whole set (the schema's defaults fill what is missing). On update and 接続テスト of
   * a stored connection, only the keys to change: stored values fill the rest, so a default never
   * replaces a stored choice (a サンドボックス connection stays サンドボックス).
   */
  credentials: Record<string, unknown>;
  fieldModes?: SyncModes;
  orgRefMatch?: OrgRefMatch;
  namePreference?: NamePreference;
  defaultDataArea?: string | null;
}

export type ConnectionUpdate = Partial<Omit<NewConnection, 'connectorId'>>;

export type CheckResult = { ok: true } | { ok: false; error: ConnectorErrorInfo };

const FieldModes = z.partialRecord(FieldKey, SyncMode);

type Row = typeof connections.$inferSelect;

function toConnection(row: Row): Connection {
  const { credentialsSealed: _, createdBy: __, ...view } = row;
  return view;
}

/** Empty form values mean "keep what is stored" (a secret is never shown, so it comes back blank). */
function withoutBlanks(values: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(values).filter(([, value]) => value !== '' && value !== undefined && value !== null),
  );
}

/**
 * What the 連携設定 form says when the check fails. Connectors' messages often name the vendor
 * already (「PCAクラウド給与にログインできませんでした。…」, 「ジョブカンのアクセストークン…」); those stand as
 * they are. The toolkit's generic 「連携先に接続できませんでした…」 gets the vendor's name instead of
 * 連携先, and anything else a prefix saying which system refused.
 */
export function checkFailureMessage(displayName: string, message: string): string {
  // A vendor is named by the start of its product name (ジョブカン for ジョブカン勤怠管理).
  const brand = (displayName.split(/\s/)[0] ?? displayName).slice(0, 5);
  if (message.includes(brand)) return message;
  if (message.startsWith('連携先')) return `${displayName}${message.slice('連携先'.length)}`;
  return `${displayName}に接続できませんでした。${message}`;
}

export function createConnections(deps: {
  db: Db;
  key: Buffer;
  registry: ReadonlyMap<string, ConnectorDefinition>;
  sources: ContextSources;
  requireAdmin(actor: string): Promise<unknown>;
}) {
  const { db, key, registry } = deps;

  function definitionOf(connectorId: string): ConnectorDefinition {
    const definition = registry.get(connectorId);
    if (!definition) throw new HubError('not_found', `コネクタ「${connectorId}」は登録されていません。`);
    return definition;
  }

  function parseCredentials(definition: ConnectorDefinition, values: Record<string, unknown>) {
    const result = definition.credentials.safeParse(values);
    if (!result.success) {
      throw new HubError('validation', '認証情報に誤りがあります。', { issues: zodIssues(result.error) });
    }
    return result.data as Record<string, unknown>;
  }

  function parseModes(definition: ConnectorDefinition, modes: SyncModes | undefined): SyncModes {
    const result = FieldModes.safeParse(modes ?? {});
    if (!result.success)
      throw new HubError('validation', '同期方法の指定に誤りがあります。', {
        issues: zodIssues(result.error),
      });
    const unknown = Object.keys(result.data).filter((field) => !definition.fields[field as FieldKey]);
    if (unknown.length > 0) {
      throw new HubError(
        'validation',
        `${definition.displayName}が扱わない項目があります: ${unknown.join(', ')}`,
      );
    }
    return result.data;
  }

  /** A connection setting chosen from fixed values (a radio in 連携設定), or a validation error. */
  function parseSetting<T>(schema: z.ZodType<T>, value: unknown, message: string): T {
    const result = schema.safeParse(value);
    if (!result.success) throw new HubError('validation', message);
    return result.data;
  }
  const parseNamePreference = (value: unknown) =>
    parseSetting(
      NamePreference,
      value,
      '書き込む氏名は「戸籍上の氏名」か「ビジネスネーム優先」を選んでください。',
    );
  const parseOrgRefMatch = (value: unknown) =>
    parseSetting(
      OrgRefMatch,
      value,
      '部署・雇用形態・役職の照合は「コード」か「名称」のどちらかを選んでください。',
    );

  async function getRow(id: string): Promise<Row> {
    const [row] = isUuid(id) ? await db.select().from(connections).where(eq(connections.id, id)) : [];
    if (!row) throw new HubError('not_found', '連携設定が見つかりません。');
    return row;
  }

  function credentialsOf(row: Row): Record<string, unknown> {
    return JSON.parse(open(key, row.credentialsSealed, row.id)) as Record<string, unknown>;
  }

  async function check(
    definition: ConnectorDefinition,
    credentials: Record<string, unknown>,
  ): Promise<CheckResult> {
    let session: ConnectorSession | undefined;
    try {
      session = await definition.connect(credentials, connectorContext(deps.sources));
      await session.check();
      return { ok: true };
    } catch (error) {
      return { ok: false, error: toConnectorError(error).toJSON() };
    } finally {
      await session?.close().catch(() => {});
    }
  }

  async function checkOrThrow(
    definition: ConnectorDefinition,
    credentials: Record<string, unknown>,
  ): Promise<void> {
    const result = await check(definition, credentials);
    if (!result.ok) {
      throw new HubError('check_failed', checkFailureMessage(definition.displayName, result.error.message));
    }
  }

  /** Opens a session on a stored connection (for previews and runs); the caller closes it. */
  async function openSession(id: string, signal?: AbortSignal) {
    const row = await getRow(id);
    const definition = definitionOf(row.connectorId);
    // Every session of a stored connection (runs on any worker, previews, data areas) draws on its one
    // rate budget: the vendor limits the account, not the process.
    const context = {
      ...connectorContext(deps.sources, signal),
      rateBudget: createRateBudget(db, row.id, definition.limits, deps.sources.clock),
      loginHold: createLoginHold(db, row.id, deps.sources.clock),
    };
    const session = await definition.connect(credentialsOf(row), context);
    return { connection: toConnection(row), definition, session };
  }

  return {
    definitionOf,
    openSession,
    /**
     * A vendor's webhook for a stored connection: `verify` judges the request against the stored
     * credentials (which never leave the hub), and an accepted request acts in the name of the admin
     * who set the connection up. Null for an unknown connection or a refused request, alike.
     */
    async authenticateWebhook(
      id: string,
      connectorId: string,
      verify: (credentials: Record<string, unknown>) => boolean,
    ): Promise<{ connection: Connection; actor: string } | null> {
      const [row] = isUuid(id) ? await db.select().from(connections).where(eq(connections.id, id)) : [];
      if (!row || row.connectorId !== connectorId || !verify(credentialsOf(row))) return null;
      return { connection: toConnection(row), actor: row.createdBy };
    },
    async list(): Promise<Connection[]> {
      const rows = await db.select().from(connections).orderBy(asc(connections.createdAt));
      return rows.map(toConnection);
    },
    async get(id: string): Promise<Connection | null> {
      const [row] = isUuid(id) ? await db.select().from(connections).where(eq(connections.id, id)) : [];
      return row ? toConnection(row) : null;
    },
    /** 接続テスト: checks credentials without saving; `connectionId` fills keys left blank. */
    async test(
      actor: string,
      input: { connectorId: string; credentials: Record<string, unknown>; connectionId?: string },
    ): Promise<CheckResult> {
      await deps.requireAdmin(actor);
      const definition = definitionOf(input.connectorId);
      const row = input.connectionId ? await getRow(input.connectionId) : undefined;
      // Another vendor's stored secrets must never be sent to this one.
      if (row && row.connectorId !== definition.id) {
        throw new HubError(
          'validation',
          `この連携設定は${definition.displayName}のものではないため、接続テストできません。`,
        );
      }
      const stored = row ? credentialsOf(row) : {};
      const result = await check(
        definition,
        parseCredentials(definition, { ...stored, ...withoutBlanks(input.credentials) }),
      );
      // The admin's own test of the stored connection, after logging an orphaned login out in the
      // vendor's screen, is the way past a lost login answer before the vendor's timeout.
      if (row && result.ok) await clearLoginHold(db, row.id);
      return result;
    },
    async create(actor: string, input: NewConnection): Promise<Connection> {
      await deps.requireAdmin(actor);
      const definition = definitionOf(input.connectorId);
      const displayName = input.displayName?.trim() || definition.displayName;
      const credentials = parseCredentials(definition, withoutBlanks(input.credentials));
      const fieldModes = parseModes(definition, input.fieldModes);
      const orgRefMatch = input.orgRefMatch === undefined ? 'code' : parseOrgRefMatch(input.orgRefMatch);
      const namePreference =
        input.namePreference === undefined ? 'legal' : parseNamePreference(input.namePreference);
      await checkOrThrow(definition, credentials);
      const id = randomUUID();
      const [row] = await db
        .insert(connections)
        .values({
          id,
          connectorId: definition.id,
          displayName,
          credentialsSealed: seal(key, JSON.stringify(credentials), id),
          credentialKeys: Object.keys(credentials),
          fieldModes,
          orgRefMatch,
          namePreference,
          defaultDataArea: input.defaultDataArea ?? (definition.hasDataAreas ? null : IMPLICIT_DATA_AREA.id),
          createdBy: actor,
        })
        .returning();
      return toConnection(row as Row);
    },
    async update(actor: string, id: string, input: ConnectionUpdate): Promise<Connection> {
      await deps.requireAdmin(actor);
      const row = await getRow(id);
      const definition = definitionOf(row.connectorId);
      const changes: Partial<Row> = { updatedAt: new Date() };
      if (input.credentials) {
        const credentials = parseCredentials(definition, {
          ...credentialsOf(row),
          ...withoutBlanks(input.credentials),
        });
        await checkOrThrow(definition, credentials);
        changes.credentialsSealed = seal(key, JSON.stringify(credentials), id);
        changes.credentialKeys = Object.keys(credentials);
      }
      if (input.displayName !== undefined)
        changes.displayName = input.displayName.trim() || definition.displayName;
      if (input.fieldModes !== undefined) changes.fieldModes = parseModes(definition, input.fieldModes);
      if (input.orgRefMatch !== undefined) changes.orgRefMatch = parseOrgRefMatch(input.orgRefMatch);
      if (input.namePreference !== undefined)
        changes.namePreference = parseNamePreference(input.namePreference);
      if (input.defaultDataArea !== undefined) changes.defaultDataArea = input.defaultDataArea;
      const [updated] = await db.update(connections).set(changes).where(eq(connections.id, id)).returning();
      return toConnection(updated as Row);
    },
    /**
     * Saves the 同期ルール (both directions at once). Like any settings change it makes earlier
     * previews stale (a run never follows a policy other than the one its preview shows).
     */
    async setPolicy(actor: string, id: string, policy: unknown): Promise<Connection> {
      await deps.requireAdmin(actor);
      const row = await getRow(id);
      const definition = definitionOf(row.connectorId);
      const syncPolicy = parsePolicy(definition.fields, definition.displayName, policy);
      return db.transaction(async (tx) => {
        const [updated] = await tx
          .update(connections)
          .set({ syncPolicy, updatedAt: new Date() })
          .where(eq(connections.id, id))
          .returning();
        await recordAudit(tx as Db, {
          actor: `user:${actor}`,
          action: 'connection.sync_policy',
          target: `connection:${id}`,
          details: syncPolicy as Record<string, DirectionPolicy | undefined>,
        });
        return toConnection(updated as Row);
      });
    },
    async remove(actor: string, id: string): Promise<void> {
      await deps.requireAdmin(actor);
      await db.delete(connections).where(eq(connections.id, id));
    },
    /** 連携設定's values for new employees, with the vendor's own choices (none where it has none). */
    async newEmployeeDefaults(id: string): Promise<NewEmployeeDefault[]> {
      const { session } = await openSession(id);
      try {
        return (await session.newEmployeeDefaults?.()) ?? [];
      } finally {
        await session.close().catch(() => {});
      }
    },
    async dataAreas(id: string): Promise<DataArea[]> {
      const { session } = await openSession(id);
      try {
        return await session.listDataAreas();
      } finally {
        await session.close().catch(() => {});
      }
    },
  };
}

export type Connections = ReturnType<typeof createConnections>;

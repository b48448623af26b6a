import { randomBytes } from 'node:crypto';
import {
  type ConnectorDefinition,
  ConnectorError,
  credential,
  silentLogger,
  systemClock,
} from '@renkei/core';
import { createReferenceFake, REFERENCE_AREAS, REFERENCE_CLIENT, referenceConnector } from '@renkei/testkit';
import { eq, sql } from 'drizzle-orm';
import { setupServer } from 'msw/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { type Database, openDatabase } from '../db/adapter.ts';
import { connections as connectionsTable } from '../db/schema.ts';
import { createTestDatabase, type TestDatabase } from '../testing/database.ts';
import { createUsers } from '../users/users.ts';
import { checkFailureMessage, createConnections } from './connections.ts';

const fake = createReferenceFake({ clock: systemClock });
const server = setupServer(...fake.handlers);
const registry = new Map([[referenceConnector.id, referenceConnector]]);
const sources = {
  fetch: ((input, init) => globalThis.fetch(input, init)) as typeof fetch,
  clock: systemClock,
  logger: silentLogger,
};

let testDb: TestDatabase;
let database: Database;
let admin: string;
let member: string;
const key = randomBytes(32);
const connectionsWith = (secretKey: Buffer) => {
  const users = createUsers(database.db);
  return createConnections({
    db: database.db,
    key: secretKey,
    registry,
    sources,
    requireAdmin: users.requireAdmin,
  });
};

beforeAll(async () => {
  server.listen({ onUnhandledFrame: 'error' } as never);
  testDb = await createTestDatabase();
  database = await openDatabase(testDb.target);
  const users = createUsers(database.db);
  admin = (await users.bootstrap({ email: 'admin@example.jp', name: '管理者', password: 'admin password 1' }))
    .id;
  member = (
    await users.create(admin, {
      email: 'm@example.jp',
      name: '一般',
      password: 'member password 1',
      role: 'member',
    })
  ).id;
});
afterAll(async () => {
  server.close();
  await database.close();
  await testDb.drop();
});

describe('連携設定', () => {
  it('checks the credentials before saving and never returns them', async () => {
    const connections = connectionsWith(key);
    const saved = await connections.create(admin, {
      connectorId: 'reference',
      displayName: '',
      credentials: { ...REFERENCE_CLIENT },
      fieldModes: { email: 'mirror' },
      defaultDataArea: 'factory',
    });
    expect(saved).toMatchObject({
      connectorId: 'reference',
      displayName: referenceConnector.displayName,
      credentialKeys: ['clientId', 'clientSecret'],
      fieldModes: { email: 'mirror' },
      defaultDataArea: 'factory',
    });
    for (const view of [saved, await connections.get(saved.id), await connections.list()]) {
      expect(JSON.stringify(view)).not.toContain(REFERENCE_CLIENT.clientSecret);
      expect(JSON.stringify(view)).not.toContain(REFERENCE_CLIENT.clientId);
    }
    expect((await connections.dataAreas(saved.id)).map((area) => area.id)).toEqual(
      REFERENCE_AREAS.map((a) => a.id),
    );
  });

  it('stores credentials sealed: the bytes hold no secret, and a wrong key fails loudly', async () => {
    const [row] = await database.db.select().from(connectionsTable).limit(1);
    const stored = Buffer.from(row?.credentialsSealed ?? '', 'base64');
    expect(stored.length).toBeGreaterThan(28);
    for (const text of [stored.toString('utf8'), stored.toString('latin1'), row?.credentialsSealed ?? '']) {
      expect(text).not.toContain(REFERENCE_CLIENT.clientSecret);
    }
    const wrong = connectionsWith(randomBytes(32));
    await expect(wrong.dataAreas(row?.id ?? '')).rejects.toMatchObject({
      kind: 'secret_key',
      message: expect.stringContaining('RENKEI_SECRET_KEY'),
    });
    // A sealed value moved to another row does not open either (the row id is bound in).
    const copy = await connectionsWith(key).create(admin, {
      connectorId: 'reference',
      displayName: 'copy',
      credentials: { ...REFERENCE_CLIENT },
    });
    await database.db
      .update(connectionsTable)
      .set({ credentialsSealed: row?.credentialsSealed ?? '' })
      .where(eq(connectionsTable.id, copy.id));
    await expect(connectionsWith(key).dataAreas(copy.id)).rejects.toMatchObject({ kind: 'secret_key' });
    await connectionsWith(key).remove(admin, copy.id);
  });

  it('saves nothing when the check fails, and says why in Japanese', async () => {
    const connections = connectionsWith(key);
    const before = await connections.list();
    const attempt = connections.create(admin, {
      connectorId: 'reference',
      displayName: '誤り',
      credentials: { clientId: REFERENCE_CLIENT.clientId, clientSecret: 'wrong-secret' },
    });
    // The reference connector's message does not name the vendor, so the hub says which one refused.
    await expect(attempt).rejects.toMatchObject({
      kind: 'check_failed',
      message:
        'リファレンス人事APIに接続できませんでした。クライアントIDまたはシークレットが正しくありません。連携設定を確認してください。',
    });
    await expect(attempt).rejects.not.toMatchObject({ message: expect.stringContaining('wrong-secret') });
    expect(await connections.list()).toEqual(before);
    await expect(
      connections.create(admin, {
        connectorId: 'reference',
        displayName: 'x',
        credentials: { clientId: 'a' },
      }),
    ).rejects.toMatchObject({ kind: 'validation', issues: [{ field: 'clientSecret' }] });
  });

  it('tests credentials without saving, filling blank secrets from the stored connection', async () => {
    const connections = connectionsWith(key);
    const [saved] = await connections.list();
    const id = saved?.id ?? '';
    expect(
      await connections.test(admin, {
        connectorId: 'reference',
        credentials: { clientId: REFERENCE_CLIENT.clientId, clientSecret: '' },
        connectionId: id,
      }),
    ).toEqual({ ok: true });
    const refused = await connections.test(admin, {
      connectorId: 'reference',
      credentials: { ...REFERENCE_CLIENT, clientSecret: 'nope' },
    });
    expect(refused).toMatchObject({ ok: false, error: { kind: 'auth' } });
  });

  it('updates keep blank secrets, re-check changed ones, and validate sync modes', async () => {
    const connections = connectionsWith(key);
    const [saved] = await connections.list();
    const id = saved?.id ?? '';
    const renamed = await connections.update(admin, id, {
      displayName: '本社給与',
      credentials: { clientSecret: '' },
    });
    expect(renamed.displayName).toBe('本社給与');
    await expect(
      connections.update(admin, id, { credentials: { clientSecret: 'bad' } }),
    ).rejects.toMatchObject({ kind: 'check_failed' });
    expect(await connections.dataAreas(id)).toHaveLength(2);
    await expect(
      connections.update(admin, id, { fieldModes: { bankAccounts: 'mirror' } }),
    ).rejects.toMatchObject({ kind: 'validation' });
    await expect(
      connections.update(admin, id, { fieldModes: { email: 'sometimes' as never } }),
    ).rejects.toMatchObject({ kind: 'validation' });
  });

  it('stores how 部署・雇用形態・役職 match: by code unless set to by name; anything else refused', async () => {
    const connections = connectionsWith(key);
    const input = { connectorId: 'reference', displayName: '', credentials: { ...REFERENCE_CLIENT } };
    const byCode = await connections.create(admin, input);
    expect(byCode.orgRefMatch).toBe('code');
    const byName = await connections.create(admin, { ...input, orgRefMatch: 'name' });
    expect((await connections.get(byName.id))?.orgRefMatch).toBe('name');
    const switched = await connections.update(admin, byCode.id, { orgRefMatch: 'name' });
    expect(switched.orgRefMatch).toBe('name');
    // Other updates keep it.
    await connections.update(admin, byCode.id, { displayName: '給与' });
    expect((await connections.get(byCode.id))?.orgRefMatch).toBe('name');
    for (const bad of ['kana', '', null]) {
      await expect(connections.update(admin, byCode.id, { orgRefMatch: bad as never })).rejects.toMatchObject(
        {
          kind: 'validation',
          message: '部署・雇用形態・役職の照合は「コード」か「名称」のどちらかを選んでください。',
        },
      );
      await expect(connections.create(admin, { ...input, orgRefMatch: bad as never })).rejects.toMatchObject({
        kind: 'validation',
      });
    }
    expect((await connections.get(byCode.id))?.orgRefMatch).toBe('name');
    // A row from before the column existed reads as by code (the migration's default).
    await database.db.execute(sql`UPDATE connections SET org_ref_match = DEFAULT WHERE id = ${byName.id}`);
    expect((await connections.get(byName.id))?.orgRefMatch).toBe('code');
  });

  it('lets only admins configure', async () => {
    const connections = connectionsWith(key);
    await expect(
      connections.create(member, {
        connectorId: 'reference',
        displayName: 'x',
        credentials: { ...REFERENCE_CLIENT },
      }),
    ).rejects.toMatchObject({ kind: 'forbidden' });
    await expect(
      connections.test(member, { connectorId: 'reference', credentials: { ...REFERENCE_CLIENT } }),
    ).rejects.toMatchObject({ kind: 'forbidden' });
  });
});

describe('a vendor webhook', () => {
  it('accepts what verify accepts against the stored credentials, acting as the admin who set it up', async () => {
    const connections = connectionsWith(key);
    const created = await connections.create(admin, {
      connectorId: referenceConnector.id,
      displayName: 'webhook',
      credentials: REFERENCE_CLIENT,
    });
    const seen: Record<string, unknown>[] = [];
    const verify = (credentials: Record<string, unknown>) => {
      seen.push(credentials);
      return credentials.clientSecret === REFERENCE_CLIENT.clientSecret;
    };
    expect(await connections.authenticateWebhook(created.id, referenceConnector.id, verify)).toEqual({
      connection: created,
      actor: admin,
    });
    expect(seen).toEqual([REFERENCE_CLIENT]);
    expect(await connections.authenticateWebhook(created.id, referenceConnector.id, () => false)).toBeNull();
    // Another connector's webhook, an unknown id and a malformed one are refused before verify runs.
    expect(await connections.authenticateWebhook(created.id, 'smarthr', verify)).toBeNull();
    expect(
      await connections.authenticateWebhook(crypto.randomUUID(), referenceConnector.id, verify),
    ).toBeNull();
    expect(await connections.authenticateWebhook('not-a-uuid', referenceConnector.id, verify)).toBeNull();
    expect(seen).toHaveLength(1);
  });
});

describe("a choice with a default (like ジョブカン's 環境)", () => {
  /** The reference connector plus a 環境 whose default is 本番; it records what each session got. */
  const RegionalCredentials = referenceConnector.credentials.extend({
    environment: credential(z.enum(['本番', 'サンドボックス']).default('本番'), { label: '環境' }),
  });
  const received: z.infer<typeof RegionalCredentials>[] = [];
  const regional: ConnectorDefinition<typeof RegionalCredentials> = {
    ...referenceConnector,
    id: 'regional',
    displayName: '環境つきAPI',
    credentials: RegionalCredentials,
    async connect(credentials, context) {
      received.push(credentials);
      return referenceConnector.connect(credentials, context);
    },
  };
  const connections = () =>
    createConnections({
      db: database.db,
      key,
      registry: new Map([
        [referenceConnector.id, referenceConnector],
        [regional.id, regional],
      ]),
      sources,
      requireAdmin: createUsers(database.db).requireAdmin,
    });
  const lastEnvironment = () => received.at(-1)?.environment;

  it('applies the default to a new connection only', async () => {
    await connections().create(admin, {
      connectorId: 'regional',
      displayName: '',
      credentials: { ...REFERENCE_CLIENT },
    });
    expect(lastEnvironment()).toBe('本番');
  });

  it('keeps the stored choice on edits and 接続テスト that leave it out', async () => {
    const saved = await connections().create(admin, {
      connectorId: 'regional',
      displayName: 'サンドボックス',
      credentials: { ...REFERENCE_CLIENT, environment: 'サンドボックス' },
    });
    expect(lastEnvironment()).toBe('サンドボックス');
    for (const credentials of [{}, { environment: '' }, { clientSecret: REFERENCE_CLIENT.clientSecret }]) {
      await connections().update(admin, saved.id, { displayName: '改名', credentials });
      expect(lastEnvironment()).toBe('サンドボックス');
      await connections().test(admin, { connectorId: 'regional', connectionId: saved.id, credentials });
      expect(lastEnvironment()).toBe('サンドボックス');
    }
    await connections().update(admin, saved.id, { credentials: { environment: '本番' } });
    expect(lastEnvironment()).toBe('本番');
    await connections().test(admin, { connectorId: 'regional', connectionId: saved.id, credentials: {} });
    expect(lastEnvironment()).toBe('本番');
  });

  it("refuses to 接続テスト one connector with another connector's stored credentials", async () => {
    const other = await connections().create(admin, {
      connectorId: 'reference',
      displayName: '他社',
      credentials: { ...REFERENCE_CLIENT },
    });
    const sessions = received.length;
    await expect(
      connections().test(admin, { connectorId: 'regional', connectionId: other.id, credentials: {} }),
    ).rejects.toMatchObject({
      kind: 'validation',
      message: 'この連携設定は環境つきAPIのものではないため、接続テストできません。',
    });
    expect(received).toHaveLength(sessions);
  });
});

describe('the message of a failed check', () => {
  /** A connector whose login fails the way PCA's does, naming the product itself. */
  const refusing: ConnectorDefinition = {
    ...referenceConnector,
    id: 'refusing',
    displayName: 'PCAクラウド給与 hyper',
    async connect() {
      throw new ConnectorError(
        'auth',
        'PCAクラウド給与 hyperにログインできませんでした。連携設定のサービスIDを確認してください。',
      );
    },
  };

  it('shows a message that names the vendor as it is', async () => {
    const users = createUsers(database.db);
    const connections = createConnections({
      db: database.db,
      key,
      registry: new Map([[refusing.id, refusing]]),
      sources,
      requireAdmin: users.requireAdmin,
    });
    const attempt = connections.create(admin, {
      connectorId: 'refusing',
      displayName: '',
      credentials: { ...REFERENCE_CLIENT },
    });
    await expect(attempt).rejects.toMatchObject({
      kind: 'check_failed',
      message: 'PCAクラウド給与 hyperにログインできませんでした。連携設定のサービスIDを確認してください。',
    });
  });

  it('prefixes the vendor only where the message does not name it', () => {
    expect(
      checkFailureMessage('ジョブカン勤怠管理', 'ジョブカンのアクセストークンを取得できませんでした。'),
    ).toBe('ジョブカンのアクセストークンを取得できませんでした。');
    expect(checkFailureMessage('PCAクラウド給与', 'PCAクラウド給与にログインできませんでした。')).toBe(
      'PCAクラウド給与にログインできませんでした。',
    );
    expect(
      checkFailureMessage(
        'ジョブカン勤怠管理',
        '連携先に接続できませんでした（トークン取得、ECONNREFUSED）。',
      ),
    ).toBe('ジョブカン勤怠管理に接続できませんでした（トークン取得、ECONNREFUSED）。');
    expect(checkFailureMessage('リファレンス人事API', 'アクセストークンが無効になりました。')).toBe(
      'リファレンス人事APIに接続できませんでした。アクセストークンが無効になりました。',
    );
  });
});

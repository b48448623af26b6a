import jobcan from '@renkei/connector-jobcan';
import { createJobcanFake, FAKE_CREDENTIALS as JOBCAN_CREDENTIALS } from '@renkei/connector-jobcan/fake';
import pcaCloud from '@renkei/connector-pca-cloud';
import { createPcaCloudFake, FAKE_CREDENTIALS as PCA_CREDENTIALS } from '@renkei/connector-pca-cloud/fake';
import { type Connection, createHub, type Hub } from '@renkei/hub';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../app.ts';
import { interceptVendors } from '../demo/network.ts';
import { type FormInput, signIn, type TestClient } from '../testing/client.ts';

// One fake per vendor host: which fakes a request reaches tells which 環境 / データセンター a
// connection really uses (all of them accept the same fictional credentials).
const fakes = {
  'ジョブカン 本番': createJobcanFake(),
  'ジョブカン サンドボックス': createJobcanFake({ environment: 'サンドボックス' }),
  'PCA east02': createPcaCloudFake(),
  // The fake's credentials type fixes east02; its hosts follow whatever datacenter it is given.
  'PCA west01': createPcaCloudFake({
    credentials: { ...PCA_CREDENTIALS, datacenter: 'west01' } as unknown as typeof PCA_CREDENTIALS,
  }),
};
type Host = keyof typeof fakes;

/** What `action` returned, and the hosts it sent requests to. */
async function reaching<T>(action: () => Promise<T>): Promise<{ result: T; hosts: Host[] }> {
  const entries = Object.entries(fakes) as [Host, (typeof fakes)[Host]][];
  const before = new Map(entries.map(([host, fake]) => [host, fake.requests.length]));
  const result = await action();
  const hosts = entries
    .filter(([host, fake]) => fake.requests.length > (before.get(host) ?? 0))
    .map(([host]) => host);
  return { result, hosts };
}

let hub: Hub;
let network: { close(): void };
let admin: TestClient;
let adminId: string;

beforeAll(async () => {
  network = interceptVendors(Object.values(fakes).flatMap((fake) => fake.handlers));
  const connectors = [jobcan, pcaCloud];
  hub = await createHub({ inMemory: true, connectors, worker: false });
  const login = { email: 'admin@example.jp', name: '管理者', password: 'connection settings admin' };
  adminId = (await hub.users.bootstrap(login)).id;
  admin = await signIn(createApp({ hub, connectors }), login.email, login.password);
});
afterAll(async () => {
  await hub?.close();
  network?.close();
});

/** The hosts a 接続テスト reaches that fills everything from the stored connection. */
async function storedHosts(connection: Connection): Promise<Host[]> {
  const test = () =>
    hub.connections.test(adminId, {
      connectorId: connection.connectorId,
      connectionId: connection.id,
      credentials: {},
    });
  return (await reaching(test)).hosts;
}

/** What a browser submits from the edit form left as it is shown: every credential blank. */
function untouched(credentials: object, extra: FormInput): FormInput {
  return { ...Object.fromEntries(Object.keys(credentials).map((key) => [key, ''])), ...extra };
}

describe('editing a connection keeps its stored 環境 / データセンター', () => {
  it('a サンドボックス Jobcan connection stays サンドボックス when renamed, and 接続テスト uses it', async () => {
    const connection = await hub.connections.create(adminId, {
      connectorId: 'jobcan',
      displayName: 'ジョブカン（検証）',
      credentials: { ...JOBCAN_CREDENTIALS, environment: 'サンドボックス' },
    });
    const path = `/connections/${connection.id}/settings`;
    const settings = await (await admin.get(path)).text();
    expect(settings).toMatch(/<option value="" selected>（変更しない）<\/option>/);

    const form = untouched(JOBCAN_CREDENTIALS, { displayName: 'ジョブカン（検証用）', orgRefMatch: 'code' });
    const tested = await reaching(() => admin.post(path, { ...form, intent: 'test' }));
    expect(tested.hosts).toEqual(['ジョブカン サンドボックス']);
    expect(tested.result.status).toBe(200);
    expect(await tested.result.text()).toContain('接続テストに成功しました。');

    const saved = await reaching(() => admin.post(path, { ...form, intent: 'save' }));
    expect(saved.hosts).toEqual(['ジョブカン サンドボックス']);
    expect(saved.result.status).toBe(302);
    expect((await hub.connections.get(connection.id))?.displayName).toBe('ジョブカン（検証用）');
    // What is stored now: a 接続テスト filling everything from the connection still goes to サンドボックス.
    expect(await storedHosts(connection)).toEqual(['ジョブカン サンドボックス']);
  });

  it('a west01 PCA connection stays west01 when renamed, and 接続テスト uses it', async () => {
    const connection = await hub.connections.create(adminId, {
      connectorId: 'pca-cloud',
      displayName: 'PCA（西日本）',
      credentials: { ...PCA_CREDENTIALS, datacenter: 'west01' },
    });
    const path = `/connections/${connection.id}/settings`;
    const form = untouched(PCA_CREDENTIALS, { displayName: 'PCA（西日本DC）', orgRefMatch: 'code' });
    const tested = await reaching(() => admin.post(path, { ...form, intent: 'test' }));
    expect(tested.hosts).toEqual(['PCA west01']);
    expect(await tested.result.text()).toContain('接続テストに成功しました。');

    const saved = await reaching(() => admin.post(path, { ...form, intent: 'save' }));
    expect(saved.hosts).toEqual(['PCA west01']);
    expect(saved.result.status).toBe(302);
    expect(await storedHosts(connection)).toEqual(['PCA west01']);
  });

  it('a choice the admin makes on edit does replace the stored one', async () => {
    const connection = await hub.connections.create(adminId, {
      connectorId: 'jobcan',
      displayName: 'ジョブカン（切替）',
      credentials: { ...JOBCAN_CREDENTIALS, environment: 'サンドボックス' },
    });
    const path = `/connections/${connection.id}/settings`;
    const form = untouched(JOBCAN_CREDENTIALS, { displayName: 'ジョブカン（切替）', environment: '本番' });
    expect((await reaching(() => admin.post(path, { ...form, intent: 'save' }))).hosts).toEqual([
      'ジョブカン 本番',
    ]);
    expect(await storedHosts(connection)).toEqual(['ジョブカン 本番']);
  });
});

describe('a new connection gets the defaults', () => {
  it.each([
    {
      connectorId: 'jobcan',
      credentials: JOBCAN_CREDENTIALS,
      omitted: 'environment',
      host: 'ジョブカン 本番',
    },
    { connectorId: 'pca-cloud', credentials: PCA_CREDENTIALS, omitted: 'datacenter', host: 'PCA east02' },
  ])('$connectorId without $omitted goes to $host', async ({ connectorId, credentials, omitted, host }) => {
    const form = Object.fromEntries(Object.entries(credentials).filter(([key]) => key !== omitted));
    const saved = await reaching(() =>
      admin.post(`/connectors/${connectorId}/install`, {
        ...form,
        displayName: `${host}（新規）`,
        intent: 'save',
      }),
    );
    expect(saved.hosts).toEqual([host]);
    expect(saved.result.status).toBe(302);
    const id = saved.result.headers.get('location')?.split('/').pop() ?? '';
    expect((await hub.connections.get(id))?.displayName).toBe(`${host}（新規）`);
  });
});

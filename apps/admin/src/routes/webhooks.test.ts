import { FAKE_CREDENTIALS } from '@renkei/connector-smarthr/fake';
import type { Employee } from '@renkei/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AppFixture, createAppFixture } from '../testing/fixture.ts';

let fx: AppFixture;
let smarthr: string;
// The fixture seeds five vendor fakes and a hub: minutes on a loaded machine.
beforeAll(async () => {
  fx = await createAppFixture();
  smarthr = await fx.connectionId('smarthr');
}, 300_000);
afterAll(async () => {
  await fx?.close();
});

const TOKEN = FAKE_CREDENTIALS.webhookToken as string;

function post(connectionId: string, body: unknown, token: string | null = TOKEN) {
  return fx.app.request(`/webhooks/smarthr/${connectionId}`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(token === null ? {} : { 'X-SmartHR-Token': token }),
    },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

const event = (name: string, empCode?: string) => ({
  event: name,
  crew: { id: 'crew-x', ...(empCode ? { emp_code: empCode } : {}) },
});

async function ended(runId: string) {
  for (let i = 0; i < 200; i++) {
    const run = await fx.hub.runs.get(runId);
    if (run && run.status !== 'queued' && run.status !== 'running') return run;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`run ${runId} did not end`);
}

describe('SmartHR webhook', () => {
  it('refuses a missing or wrong token, an unknown connection and another connector’s, alike', async () => {
    const jobcan = await fx.connectionId('jobcan');
    const refusals = [
      await post(smarthr, event('crew_created', 'X1'), null),
      await post(smarthr, event('crew_created', 'X1'), `${TOKEN}x`),
      await post(smarthr, event('crew_created', 'X1'), ''),
      await post(crypto.randomUUID(), event('crew_created', 'X1')),
      await post('not-a-uuid', event('crew_created', 'X1')),
      await post(jobcan, event('crew_created', 'X1')),
    ];
    expect(refusals.map((response) => response.status)).toEqual([401, 401, 401, 401, 401, 401]);
    expect(await refusals[0]?.json()).toEqual({ error: 'unauthorized' });
  });

  it('needs no session or CSRF token, but a body of at most 64 KiB that is an event', async () => {
    expect((await post(smarthr, 'x'.repeat(64 * 1024 + 1))).status).toBe(413);
    expect((await post(smarthr, '{not json')).status).toBe(400);
    expect((await post(smarthr, { crew: {} })).status).toBe(400);
    const deleted = await post(smarthr, event('crew_deleted', 'X1'));
    expect(deleted.status).toBe(202);
    expect(await deleted.json()).toEqual({ status: 'ignored', event: 'crew_deleted' });
  });

  it('imports the crew a crew_created event names into 従業員リスト', async () => {
    const hire: Employee = { employeeCode: 'WH0001', lastName: '通知', firstName: '太郎', gender: 'male' };
    fx.vendor('smarthr').fake.seed('default', [hire]);
    const response = await post(smarthr, event('crew_created', hire.employeeCode));
    expect(response.status).toBe(202);
    const body = (await response.json()) as { status: string; runId: string };
    expect(body.status).toBe('started');
    expect(await ended(body.runId)).toMatchObject({ status: 'succeeded', direction: 'import' });
    expect((await fx.hub.employees.get(hire.employeeCode))?.employee).toMatchObject({
      lastName: '通知',
      firstName: '太郎',
    });

    // The same crew again, unchanged: nothing to write, and not the sender's fault.
    const again = await post(smarthr, event('crew_updated', hire.employeeCode));
    expect(again.status).toBe(200);
    expect(await again.json()).toMatchObject({ status: 'unchanged' });
  });

  it('leaves a fresh 差分 for an admin when the crew has no 社員番号', async () => {
    const response = await post(smarthr, event('crew_updated'));
    expect(response.status).toBe(202);
    const { previewId } = (await response.json()) as { previewId: string };
    expect(await fx.hub.previews.get(previewId)).toMatchObject({
      connectionId: smarthr,
      direction: 'import',
    });
  });
});

describe('incoming trigger (any HR system’s webhook)', () => {
  const adminId = async () =>
    ((await fx.hub.users.list()).find((user) => user.role === 'admin')?.id ?? '') as string;
  const trigger = (token: string | null, body: string = '{}') =>
    fx.app.request('/webhooks/sync', {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(token === null ? {} : { authorization: `Bearer ${token}` }),
      },
      body,
    });

  it('answers a wrong, missing or revoked token with 401, a too large body with 413, never 500', async () => {
    const jobcan = await fx.connectionId('jobcan');
    const { token, info } = await fx.hub.automation.tokens.create(await adminId(), jobcan, {
      direction: 'export',
      name: 'テスト',
    });
    const refusals = [
      await trigger(null),
      await trigger(`${token}x`),
      await trigger('rk_trg_'),
      await trigger('x'.repeat(10_000)),
    ];
    expect(refusals.map((response) => response.status)).toEqual([401, 401, 401, 401]);
    expect((await trigger(token, 'x'.repeat(64 * 1024 + 1))).status).toBe(413);
    await fx.hub.automation.tokens.revoke(await adminId(), info.id);
    expect((await trigger(token)).status).toBe(401);
  });

  it('starts the token’s automatic sync through the guard rails with a valid token', async () => {
    const jobcan = await fx.connectionId('jobcan');
    const { token } = await fx.hub.automation.tokens.create(await adminId(), jobcan, {
      direction: 'export',
      name: '人事システム',
    });
    const response = await trigger(token);
    expect([200, 202]).toContain(response.status);
    const body = (await response.json()) as { status: string; previewId?: string };
    expect(['started', 'stopped', 'unchanged']).toContain(body.status);
    const [latest] = (await fx.hub.automation.history(jobcan)).items;
    expect(latest).toMatchObject({ trigger: 'webhook', direction: 'export' });
    expect(latest?.previewId).toBe(body.previewId);
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AppFixture, createAppFixture } from '../testing/fixture.ts';

// No worker: a started run stays queued until it is cancelled, so each state is reached on purpose.
let fx: AppFixture;
let connectionId: string;
let adminId: string;

beforeAll(async () => {
  fx = await createAppFixture({ worker: false });
  connectionId = await fx.connectionId('pca-cloud');
  const admin = (await fx.hub.users.list()).find((user) => user.role === 'admin');
  if (!admin) throw new Error('admin expected');
  adminId = admin.id;
});
afterAll(async () => {
  await fx?.close();
});

/** A queued run of one changed employee in its own data area (one active run per area). */
async function queuedRun(areaIndex: number) {
  const dataArea = fx.vendor('pca-cloud').fake.dataAreas()[areaIndex] ?? '';
  const preview = await fx.hub.previews.create(adminId, { connectionId, direction: 'import', dataArea });
  const entry = (await fx.hub.previews.entries(preview.id, { status: 'changed', pageSize: 1 })).items[0];
  if (!entry) throw new Error('a changed entry expected');
  return fx.hub.runs.start(adminId, { previewId: preview.id, selection: { codes: [entry.employeeCode] } });
}

const CANCEL_BUTTON = 'data-testid="cancel-run"';

describe('中止 on the run detail page', () => {
  it('shows admins a 中止 button for a queued run; members neither see nor may use it', async () => {
    const run = await queuedRun(0);
    const adminPage = await (await fx.admin.get(`/runs/${run.id}`)).text();
    expect(adminPage).toContain(`action="/runs/${run.id}/cancel"`);
    expect(adminPage).toContain(CANCEL_BUTTON);

    const memberPage = await (await fx.member.get(`/runs/${run.id}`)).text();
    expect(memberPage).not.toContain(CANCEL_BUTTON);
    const refused = await fx.member.post(`/runs/${run.id}/cancel`, {});
    expect(refused.status).toBe(403);
    expect(await refused.text()).toContain('権限がありません');
    expect(await fx.hub.runs.get(run.id)).toMatchObject({ status: 'queued', cancelRequestedAt: null });

    // Without the session's CSRF token the POST is refused too.
    const forged = await fx.admin.post(`/runs/${run.id}/cancel`, { _csrf: '' });
    expect(forged.status).toBe(403);
    expect(await fx.hub.runs.get(run.id)).toMatchObject({ status: 'queued' });
  });

  it('cancels a queued run at once and says so; the button is gone', async () => {
    const run = await queuedRun(1);
    const response = await fx.admin.post(`/runs/${run.id}/cancel`, {});
    expect(response.status).toBe(302);
    expect(response.headers.get('location')).toBe(`/runs/${run.id}`);
    expect(await fx.hub.runs.get(run.id)).toMatchObject({ status: 'cancelled', cancelledBy: adminId });

    const detail = await (await fx.admin.get(`/runs/${run.id}`)).text();
    expect(detail).toContain('同期を中止しました。');
    expect(detail).toContain('data-run-status="cancelled"');
    expect(detail).not.toContain(CANCEL_BUTTON);
    // The spared employee can be synced again from here.
    expect(detail).toContain('失敗した従業員を再同期');
  });

  it('cancelling again is harmless', async () => {
    const run = await queuedRun(2);
    await fx.hub.runs.cancel(adminId, run.id);
    const again = await fx.admin.post(`/runs/${run.id}/cancel`, {});
    expect(again.status).toBe(302);
    expect(await (await fx.admin.get(`/runs/${run.id}`)).text()).toContain('同期を中止しました。');
  });

  it('answers 404 for an unknown run', async () => {
    const response = await fx.admin.post(`/runs/${crypto.randomUUID()}/cancel`, {});
    expect(response.status).toBe(404);
  });
});

import { createVirtualClock } from '@renkei/core';
import { createReferenceFake, REFERENCE_CLIENT, referenceConnector } from '@renkei/testkit';
import { setupServer } from 'msw/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Connection } from '../connections/connections.ts';
import { startTestHub, type TestHub } from '../testing/hub.ts';

// The reference vendor takes 社員番号 of 半角英数字 and hyphens only, and says so before any write.
const clock = createVirtualClock(Date.now());
const fake = createReferenceFake({ clock });
const server = setupServer(...fake.handlers);
const AREA = 'head-office';

let t: TestHub;
let connection: Connection;
beforeAll(async () => {
  server.listen({ onUnhandledFrame: 'error' } as never);
  t = await startTestHub({ connectors: [referenceConnector], clock });
  fake.seed(AREA, []);
  await t.hub.employees.create(t.admin.id, { employeeCode: 'E-001', lastName: '佐藤', firstName: '花子' });
  await t.hub.employees.create(t.admin.id, { employeeCode: 'E_002', lastName: '鈴木', firstName: '一郎' });
  connection = await t.hub.connections.create(t.admin.id, {
    connectorId: 'reference',
    displayName: '参照の連携先',
    credentials: { ...REFERENCE_CLIENT },
    defaultDataArea: AREA,
  });
});
afterAll(async () => {
  await t.close();
  server.close();
});

describe('a preview checks what the target would refuse', () => {
  it('shows a refused employee as an error with the target’s reason, and keeps it out of a run', async () => {
    const requestsBefore = fake.requests.length;
    const preview = await t.hub.previews.create(t.admin.id, {
      connectionId: connection.id,
      direction: 'export',
    });
    expect(preview.summary).toMatchObject({ new: 1, invalid: 1 });
    // The check read, it did not write.
    expect(fake.requests.slice(requestsBefore).filter((request) => request.requestClass === 'write')).toEqual(
      [],
    );

    const [refused] = (await t.hub.previews.entries(preview.id, { status: 'invalid' })).items;
    expect(refused).toMatchObject({ employeeCode: 'E_002', selectable: false });
    expect(refused?.issues.map((issue) => issue.message)).toEqual([
      expect.stringMatching(
        new RegExp(`^${referenceConnector.displayName}に書き込めません: .*半角英数字とハイフン20文字以内`),
      ),
    ]);
    await expect(
      t.hub.runs.start(t.admin.id, { previewId: preview.id, selection: { codes: ['E_002'] } }),
    ).rejects.toMatchObject({ kind: 'validation' });
  });
});

import { createVirtualClock, defineConnector, type EmployeeWrite, type OrgRef } from '@renkei/core';
import { createReferenceFake, referenceConnector } from '@renkei/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ReferenceHub, runEnded, startReferenceHub } from '../testing/reference-hub.ts';
import type { Run } from './runs.ts';

// HR codes its 部署 D1/D2; the vendor codes the same 部署 120/130 and, like PCA, resolves a written
// 部署 in its own master: by code when the master has it, else by name.
const clock = createVirtualClock(Date.now());
const fake = createReferenceFake({ clock });
const AREA = 'head-office';
const MASTER = [
  { code: '120', name: '人事部' },
  { code: '130', name: '総務部' },
];
const resolve = (ref: OrgRef | null | undefined) =>
  ref &&
  (MASTER.find((entry) => entry.code === ref.code) ?? MASTER.find((entry) => entry.name === ref.name) ?? ref);
const resolving = defineConnector({
  ...referenceConnector,
  async connect(credentials, context) {
    const session = await referenceConnector.connect(credentials, context);
    const withMaster = (write: EmployeeWrite): EmployeeWrite =>
      write.op === 'create'
        ? { ...write, values: { ...write.values, department: resolve(write.values.department) ?? undefined } }
        : 'department' in write.changes
          ? { ...write, changes: { ...write.changes, department: resolve(write.changes.department) } }
          : write;
    return {
      ...session,
      writeEmployees: (area, writes) => session.writeEmployees(area, writes.map(withMaster)),
    };
  },
});
const hr = [
  { employeeCode: 'E1', lastName: '山田', firstName: '太郎', department: { code: 'D1', name: '人事部' } },
  { employeeCode: 'E2', lastName: '佐藤', firstName: '花子', department: { code: 'D2', name: '総務部' } },
];

let t: ReferenceHub;
beforeAll(async () => {
  t = await startReferenceHub(fake, {
    connector: resolving,
    clock,
    chunkSize: 10,
    watchPollMs: 100,
    connection: { displayName: 'コード体系の違う連携先', defaultDataArea: AREA },
  });
  for (const employee of hr) await t.hub.employees.create(t.admin.id, employee);
  // E2 has since moved to 総務部 in HR; the vendor still has 人事部.
  fake.seed(AREA, [
    { ...(hr[0] as (typeof hr)[0]), department: { code: '120', name: '人事部' } },
    { ...(hr[1] as (typeof hr)[1]), department: { code: '120', name: '人事部' } },
  ]);
});
afterAll(() => t.close());

async function exportAll(): Promise<Run | undefined> {
  const preview = await t.hub.previews.create(t.admin.id, {
    connectionId: t.connection.id,
    direction: 'export',
  });
  const run = await t.hub.runs.start(t.admin.id, { previewId: preview.id, selection: { all: {} } });
  return runEnded(t.hub, run.id);
}

const preview = async () => {
  const created = await t.hub.previews.create(t.admin.id, {
    connectionId: t.connection.id,
    direction: 'export',
  });
  const entries = await t.hub.previews.entries(created.id);
  return entries.items.map((entry) => [entry.employeeCode, entry.status, entry.changes]);
};
const departments = () => fake.records(AREA).map((employee) => [employee.employeeCode, employee.department]);

describe('export to a system whose 部署 codes differ from the HR master’s', () => {
  it('code (default): a successful sync still re-plans 差分あり, D1 against the 120 the vendor resolved', async () => {
    expect(t.connection.orgRefMatch).toBe('code');
    expect(await exportAll()).toMatchObject({ status: 'succeeded', counts: { updated: 2 } });
    expect(departments()).toEqual([
      ['E1', { code: '120', name: '人事部' }],
      ['E2', { code: '130', name: '総務部' }],
    ]);
    expect(await preview()).toEqual([
      ['E1', 'changed', [{ field: 'department', before: MASTER[0], after: hr[0]?.department }]],
      ['E2', 'changed', [{ field: 'department', before: MASTER[1], after: hr[1]?.department }]],
    ]);
  });

  it('name: compares by name, writes the name for the vendor to resolve, and re-plans 差分なし', async () => {
    t.connection = await t.hub.connections.update(t.admin.id, t.connection.id, { orgRefMatch: 'name' });
    expect(await preview()).toEqual([
      ['E1', 'unchanged', []],
      ['E2', 'unchanged', []],
    ]);
    // HR moves E1 to 総務部: written by name, resolved by the vendor to its own 130.
    await t.hub.employees.update(t.admin.id, 'E1', { department: { code: 'D2', name: '総務部' } });
    expect(await preview()).toEqual([
      ['E1', 'changed', [{ field: 'department', before: { name: '人事部' }, after: { name: '総務部' } }]],
      ['E2', 'unchanged', []],
    ]);
    // The run's stale check fingerprints by name as the preview did: E1 is written, not stale.
    expect(await exportAll()).toMatchObject({ status: 'succeeded', counts: { updated: 1, stale: 0 } });
    expect(departments()).toEqual([
      ['E1', { code: '130', name: '総務部' }],
      ['E2', { code: '130', name: '総務部' }],
    ]);
    expect(await preview()).toEqual([
      ['E1', 'unchanged', []],
      ['E2', 'unchanged', []],
    ]);
  });
});

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { systemClock } from '@renkei/core';
import { localKeyFile } from '@renkei/hub';
import { connectForTest } from '@renkei/testkit/fakes';
import { afterAll, describe, expect, it } from 'vitest';
import { type Demo, startDemo } from './demo.ts';

const dataDir = mkdtempSync(join(tmpdir(), 'renkei-demo-'));
let demo: Demo | undefined;

afterAll(async () => {
  await demo?.close();
  rmSync(dataDir, { recursive: true, force: true });
  rmSync(localKeyFile(dataDir), { force: true });
});

const jobcanOf = (started: Demo) => {
  const vendor = started.vendors.find((candidate) => candidate.connector.id === 'jobcan');
  if (!vendor) throw new Error('no jobcan vendor in the demo');
  return vendor;
};

describe('the demo', () => {
  it('keeps what its vendors hold across a restart instead of seeding them again', async () => {
    demo = await startDemo({ dataDir, port: 0 });
    const vendor = jobcanOf(demo);
    const session = await connectForTest(vendor.connector, vendor.credentials, { clock: systemClock });
    const written = await session.writeEmployees('default', [
      {
        op: 'create',
        employeeCode: 'RESTART-1',
        values: { employeeCode: 'RESTART-1', lastName: '再起', firstName: '動' },
      },
    ]);
    await session.close();
    expect(written).toEqual([{ employeeCode: 'RESTART-1', ok: true, op: 'create' }]);
    const before = vendor.fake.records('default').length;
    await demo.close();

    demo = await startDemo({ dataDir, port: 0 });
    const after = jobcanOf(demo).fake.records('default');
    expect(after.map((employee) => employee.employeeCode)).toContain('RESTART-1');
    expect(after).toHaveLength(before);
  }, 120_000);
});

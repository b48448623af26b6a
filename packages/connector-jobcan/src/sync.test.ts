import {
  apply,
  applyAll,
  type ConnectorFields,
  createVirtualClock,
  FIELD_KEYS,
  type ListedEmployee,
  plan,
} from '@renkei/core';
import { connectForTest, generateEmployees, seededRandom } from '@renkei/testkit';
import { setupServer } from 'msw/node';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createJobcanFake, FAKE_CREDENTIALS } from './fake/index.ts';
import jobcan, { JOBCAN } from './index.ts';

const clock = createVirtualClock(Date.UTC(2026, 3, 1));
const fake = createJobcanFake({ clock });
const server = setupServer(...fake.handlers);
beforeAll(() => server.listen({ onUnhandledFrame: 'error' }));
afterAll(() => server.close());

/** The HR master (社員名簿) reads and writes every field. */
const HR_FIELDS: ConnectorFields = Object.fromEntries(FIELD_KEYS.map((key) => [key, 'readWrite']));
const BOTH_WAYS = FIELD_KEYS.filter((key) => jobcan.fields[key] === 'readWrite');

/** The most requests the fake saw in any window of the rate limit's length. */
function busiestWindow(times: readonly number[]): number {
  let most = 0;
  for (let start = 0, end = 0; end < times.length; end++) {
    while ((times[start] as number) <= (times[end] as number) - JOBCAN.rateLimit.intervalMs) start++;
    most = Math.max(most, end - start + 1);
  }
  return most;
}

it('syncs 500 employees HR → Jobcan, then plans Jobcan → HR with 差分なし on every field carried both ways', async () => {
  const hr = generateEmployees({ count: 500, seed: 20260401 });
  const hrRecords: ListedEmployee[] = hr.map((employee) => ({ ok: true, employee }));
  const session = await connectForTest(jobcan, FAKE_CREDENTIALS, { clock, random: seededRandom(1) });
  const listJobcan = async () => {
    const listed: ListedEmployee[] = [];
    for await (const entry of session.listEmployees('default')) listed.push(entry);
    return listed;
  };

  const toJobcan = plan(
    { fields: HR_FIELDS, records: hrRecords },
    { fields: jobcan.fields, records: await listJobcan() },
  );
  expect(toJobcan.summary.new).toBe(500);
  const codes = toJobcan.entries.map((entry) => entry.employeeCode);
  const result = await applyAll(
    apply(
      toJobcan,
      codes,
      { session, area: 'default', definition: jobcan },
      { clock, random: seededRandom(2) },
    ),
  );
  expect(result.status).toBe('succeeded');
  expect(result.counts.created).toBe(500);

  const back = plan(
    { fields: jobcan.fields, records: await listJobcan() },
    { fields: HR_FIELDS, records: hrRecords },
  );
  expect(back.fields).toEqual(FIELD_KEYS.filter((key) => key === 'status' || BOTH_WAYS.includes(key)));
  expect(back.summary).toMatchObject({ new: 0, invalid: 0, conflict: 0, targetOnly: 0 });
  const bothWaysChanges = back.entries.flatMap((entry) =>
    entry.changes
      .filter((change) => BOTH_WAYS.includes(change.field))
      .map((change) => ({ code: entry.employeeCode, ...change })),
  );
  expect(bothWaysChanges).toEqual([]);

  // 在籍状況 travels Jobcan → HR only: Jobcan registered everyone as 在職, so only those HR holds as
  // 休職 or 退職 differ, and only in 在籍状況.
  const notEmployed = hr.filter((employee) => employee.status !== 'employed');
  expect(new Set(notEmployed.map((employee) => employee.status))).toEqual(new Set(['on_leave', 'retired']));
  const changed = back.entries.filter((entry) => entry.status === 'changed');
  expect(changed.map((entry) => entry.employeeCode).sort()).toEqual(
    notEmployed.map((employee) => employee.employeeCode).sort(),
  );
  for (const entry of changed)
    expect(entry.changes).toEqual([{ field: 'status', before: expect.any(String), after: 'employed' }]);
  expect(back.summary.unchanged).toBe(500 - notEmployed.length);

  expect(fake.overLimitCount).toBe(0);
  expect(busiestWindow(fake.requests.map((request) => request.time))).toBeLessThanOrEqual(
    JOBCAN.rateLimit.limit,
  );
}, 120_000); // ~1,000 paced requests: generous for a loaded machine, not a speed target

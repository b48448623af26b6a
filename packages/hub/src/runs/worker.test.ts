import { systemClock } from '@renkei/core';
import { createReferenceFake } from '@renkei/testkit';
import { TestClock } from 'pg-boss';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ReferenceHub, startReferenceHub } from '../testing/reference-hub.ts';

// The chunk workers on pg-boss's test clock: the queue's own time moves only when the test ticks it.
const AREA = 'head-office';
const fake = createReferenceFake({ clock: systemClock });
const queueClock = new TestClock(Date.parse('2026-12-07T01:00:00Z'));

let t: ReferenceHub;
beforeAll(async () => {
  t = await startReferenceHub(fake, {
    queueClock,
    chunkSize: 1,
    watchPollMs: 50,
    connection: { displayName: '勤怠', defaultDataArea: AREA },
  });
  for (let i = 1; i <= 6; i++) {
    await t.hub.employees.create(t.admin.id, {
      employeeCode: `W${i}`,
      lastName: '山田',
      firstName: `${i}`,
      email: `w${i}@hr.example.jp`,
    });
  }
});
afterAll(() => t?.close());

describe('run chunk workers', () => {
  it('take the next queued chunk as soon as one is done, not after the polling interval', async () => {
    const preview = await t.hub.previews.create(t.admin.id, {
      connectionId: t.connection.id,
      direction: 'export',
    });
    const run = await t.hub.runs.start(t.admin.id, { previewId: preview.id, selection: { all: {} } });
    expect(run.total).toBe(6);
    // One tick ends the wait the idle worker was in when the run was queued; after that the queue's
    // clock stands still, so every further chunk must be fetched without waiting out an interval.
    await queueClock.tick(1_000);
    const deadline = Date.now() + 20_000;
    let status = run.status;
    while (status !== 'succeeded' && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      status = (await t.hub.runs.get(run.id))?.status ?? status;
    }
    expect(status).toBe('succeeded');
    expect(
      fake
        .records(AREA)
        .map((employee) => employee.employeeCode)
        .sort(),
    ).toEqual(['W1', 'W2', 'W3', 'W4', 'W5', 'W6']);
  }, 30_000);
});

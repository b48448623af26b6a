// `employees.followImport`: an admin follows a CSV import from memory. On PGlite the publish at the
// end holds the one connection and every database read waits for it; the follower reads no
// database after its admin check, so it tells 書き込み中 while the publish still runs.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestHub, type TestHub } from '../testing/hub.ts';
import type { ImportJob } from './import-jobs.ts';

let t: TestHub;
beforeAll(async () => {
  t = await startTestHub();
}, 120_000);
afterAll(() => t.close());

const ROWS = 4_000;

function csvFile(rows: number, prefix: string): Buffer {
  const lines = Array.from(
    { length: rows },
    (_, i) => `${prefix}${String(i).padStart(6, '0')},山田,太郎,ヤマダ,タロウ`,
  );
  return Buffer.from(`社員番号,姓,名,姓（フリガナ）,名（フリガナ）\r\n${lines.join('\r\n')}\r\n`);
}

describe('following a CSV import', () => {
  it('yields reading progress, 書き込み中 while the publish still runs, and ends with the finished job', async () => {
    const job = await t.hub.employees.startImport(t.admin.id, csvFile(ROWS, 'F'), {});
    const seen: { job: ImportJob; at: number }[] = [];
    for await (const now of t.hub.employees.followImport(t.admin.id, job.id)) {
      seen.push({ job: now, at: Date.now() });
    }
    const jobs = seen.map((entry) => entry.job);
    expect(jobs.some((now) => now.progress.phase === 'reading' && now.progress.rows > 0)).toBe(true);
    const writing = seen.find(
      (entry) => entry.job.progress.phase === 'writing' && entry.job.status === 'running',
    );
    expect(writing).toBeDefined();
    const last = jobs.at(-1);
    expect(last).toMatchObject({ status: 'done', result: { imported: ROWS, created: ROWS, errors: [] } });
    const finishedAt = last?.finishedAt?.getTime() ?? 0;
    // 書き込み中 reached the follower before the import ended, i.e. while the publish held the database.
    expect(writing?.at).toBeLessThanOrEqual(finishedAt);
    // Rows read only ever grow, and only the last snapshot is finished.
    const rows = jobs.map((now) => now.progress.rows);
    expect(rows).toEqual([...rows].sort((a, b) => a - b));
    expect(jobs.slice(0, -1).every((now) => now.status === 'running')).toBe(true);
  }, 120_000);

  it('refuses a member, and yields nothing for an unknown import', async () => {
    const member = await t.hub.users.create(t.admin.id, {
      email: 'member@example.jp',
      name: '一般 社員',
      password: 'member password 1',
      role: 'member',
    });
    const job = await t.hub.employees.startImport(t.admin.id, csvFile(10, 'M'), {});
    const follow = async (actor: string, id: string) => {
      const jobs: ImportJob[] = [];
      for await (const now of t.hub.employees.followImport(actor, id)) jobs.push(now);
      return jobs;
    };
    await expect(follow(member.id, job.id)).rejects.toMatchObject({ kind: 'forbidden' });
    expect(await follow(t.admin.id, '00000000-0000-4000-8000-000000000000')).toEqual([]);
    expect((await follow(t.admin.id, job.id)).at(-1)?.status).toBe('done');
  });

  it('ends when its signal aborts, while the import goes on', async () => {
    const job = await t.hub.employees.startImport(t.admin.id, csvFile(2_000, 'A'), {});
    const abort = new AbortController();
    const jobs: ImportJob[] = [];
    for await (const now of t.hub.employees.followImport(t.admin.id, job.id, { signal: abort.signal })) {
      jobs.push(now);
      abort.abort();
    }
    expect(jobs).toHaveLength(1);
    expect(jobs[0]?.status).toBe('running');
    // Let it finish before the hub closes.
    for await (const now of t.hub.employees.followImport(t.admin.id, job.id))
      if (now.status !== 'running') break;
  }, 120_000);
});

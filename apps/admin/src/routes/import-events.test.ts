import type { ImportJob } from '@renkei/hub';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AppFixture, createAppFixture } from '../testing/fixture.ts';

let fx: AppFixture;
let adminId: string;

beforeAll(async () => {
  fx = await createAppFixture({ worker: false });
  const admin = (await fx.hub.users.list()).find((user) => user.role === 'admin');
  if (!admin) throw new Error('the demo admin expected');
  adminId = admin.id;
}, 120_000);

afterAll(async () => {
  await fx?.close();
});

function csvFile(rows: number, prefix: string): Uint8Array {
  const lines = Array.from(
    { length: rows },
    (_, i) => `${prefix}${String(i).padStart(6, '0')},山田,太郎,ヤマダ,タロウ`,
  );
  return Buffer.from(`社員番号,姓,名,姓（フリガナ）,名（フリガナ）\r\n${lines.join('\r\n')}\r\n`);
}

interface Event {
  event: string;
  data: Record<string, unknown>;
}

function parseEvents(text: string): Event[] {
  return text
    .split('\n\n')
    .filter((block) => block.includes('event:'))
    .map((block) => {
      const event = /^event: (.*)$/m.exec(block)?.[1] ?? '';
      const data = /^data: (.*)$/m.exec(block)?.[1] ?? '{}';
      return { event, data: JSON.parse(data) };
    });
}

/** Waits for the import to end, so the next test may start one. */
async function finished(id: string): Promise<void> {
  for await (const job of fx.hub.employees.followImport(adminId, id)) if (job.status !== 'running') return;
}

/**
 * Records every follower the route opens and whether it has ended (`onFirst` runs as the first
 * snapshot is handed over); `restore` puts the hub's own method back.
 */
function trackFollowers(onFirst: () => void = () => {}) {
  const follow = fx.hub.employees.followImport;
  const followers: { ended: boolean }[] = [];
  fx.hub.employees.followImport = async function* (actor, id, options) {
    const state = { ended: false };
    followers.push(state);
    try {
      let first = true;
      for await (const job of follow(actor, id, options)) {
        if (first) onFirst();
        first = false;
        yield job;
      }
    } finally {
      state.ended = true;
    }
  };
  return {
    followers,
    restore: () => {
      fx.hub.employees.followImport = follow;
    },
  };
}

describe('a CSV import’s live progress stream', () => {
  it('streams the reading, 書き込み中 and the end, then closes', async () => {
    const job = await fx.hub.employees.startImport(adminId, csvFile(1_500, 'E'), {});
    const response = await fx.admin.get(`/employees/import/${job.id}/events`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/event-stream');
    // The stream ends by itself once the import does.
    const events = parseEvents(await response.text());
    expect(events.at(-1)).toMatchObject({ event: 'end', data: { status: 'done', rows: 1_500 } });
    // The finished job is sent once, as the end (not as progress as well).
    expect(events.filter((event) => event.data.status !== 'running')).toEqual([events.at(-1)]);
    const progress = events.filter((event) => event.event === 'progress').map((event) => event.data);
    expect(progress[0]).toMatchObject({ status: 'running', phase: 'reading' });
    expect(progress).toContainEqual(
      expect.objectContaining({
        status: 'running',
        phase: 'writing',
        label: '書き込み中… 1,500 行を確認し、従業員リストに書き込んでいます',
      }),
    );
    expect(progress.some((data) => String(data.label).startsWith('取り込み中… '))).toBe(true);
  });

  it('ends as well when rows were refused (the reloaded page shows them)', async () => {
    const bad = Buffer.from('社員番号,姓,名,生年月日\r\nBAD-1,山田,太郎,1990-99-99\r\n');
    const job = await fx.hub.employees.startImport(adminId, bad, {});
    const events = parseEvents(await (await fx.admin.get(`/employees/import/${job.id}/events`)).text());
    expect(events.at(-1)).toMatchObject({ event: 'end', data: { status: 'done' } });
  });

  it('is for admins only, like the page, and 404 for an unknown import', async () => {
    const job = await fx.hub.employees.startImport(adminId, csvFile(5, 'S'), {});
    expect((await fx.member.get(`/employees/import/${job.id}/events`)).status).toBe(403);
    const unknown = await fx.admin.get('/employees/import/00000000-0000-4000-8000-000000000000/events');
    expect(unknown.status).toBe(404);
    await finished(job.id);
  });

  it('lets go of the job when the client goes away, while the import goes on', async () => {
    const { followers, restore } = trackFollowers();
    try {
      const job = await fx.hub.employees.startImport(adminId, csvFile(4_000, 'C'), {});
      const response = await fx.admin.get(`/employees/import/${job.id}/events`);
      const reader = response.body?.getReader();
      if (!reader) throw new Error('a stream expected');
      expect(new TextDecoder().decode((await reader.read()).value)).toContain('event: progress');
      expect(followers).toEqual([{ ended: false }]);
      await reader.cancel();
      for (let attempt = 0; attempt < 100 && !followers[0]?.ended; attempt++)
        await new Promise((resolve) => setTimeout(resolve, 20));
      expect(followers).toEqual([{ ended: true }]);
      // Still running: the client left the page, not the import.
      const now = (await fx.hub.employees.importJob(adminId, job.id)) as ImportJob;
      expect(now.status).toBe('running');
      await finished(job.id);
    } finally {
      restore();
    }
  });

  it('lets go of the job when the client left before the stream opened', async () => {
    // The client goes away while the route waits for the job's first snapshot: before the stream
    // (and its abort handler) exists. Only the request's own signal says so.
    const client = new AbortController();
    const { followers, restore } = trackFollowers(() => client.abort());
    let reader: ReadableStreamDefaultReader<Uint8Array> | undefined;
    try {
      const job = await fx.hub.employees.startImport(adminId, csvFile(4_000, 'A'), {});
      const response = await fx.admin.get(`/employees/import/${job.id}/events`, { signal: client.signal });
      reader = response.body?.getReader();
      if (!reader) throw new Error('a stream expected');
      expect(new TextDecoder().decode((await reader.read()).value)).toContain('event: progress');
      for (let attempt = 0; attempt < 50 && !followers[0]?.ended; attempt++)
        await new Promise((resolve) => setTimeout(resolve, 20));
      expect(followers).toEqual([{ ended: true }]);
      // Still running: the client left the page, not the import.
      expect(((await fx.hub.employees.importJob(adminId, job.id)) as ImportJob).status).toBe('running');
      await finished(job.id);
    } finally {
      await reader?.cancel();
      restore();
    }
  });
});

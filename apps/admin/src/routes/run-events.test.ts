import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AppFixture, createAppFixture } from '../testing/fixture.ts';

const shutdown = new AbortController();
let fx: AppFixture;

beforeAll(async () => {
  // No worker: the run stays queued, so its event stream stays open until something ends it.
  fx = await createAppFixture({ worker: false, shutdown: shutdown.signal });
}, 120_000);

afterAll(async () => {
  await fx?.close();
});

describe('a run’s live progress stream', () => {
  it('ends when the server starts shutting down, so the drain is not held open by a watcher', async () => {
    const connectionId = await fx.connectionId('jobcan');
    const admin = (await fx.hub.users.list()).find((user) => user.role === 'admin');
    if (!admin) throw new Error('the demo admin expected');
    const preview = await fx.hub.previews.create(admin.id, {
      connectionId,
      direction: 'export',
      dataArea: 'default',
    });
    const run = await fx.hub.runs.start(admin.id, {
      previewId: preview.id,
      selection: { all: { status: 'new' } },
    });

    const events = await fx.admin.get(`/runs/${run.id}/events`);
    expect(events.headers.get('content-type')).toContain('text/event-stream');
    const reader = events.body?.getReader();
    if (!reader) throw new Error('a stream expected');
    const first = new TextDecoder().decode((await reader.read()).value);
    expect(first).toContain('event: progress');

    shutdown.abort();
    let rest = '';
    for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read())
      rest += new TextDecoder().decode(chunk.value);
    expect(rest).not.toContain('event: end');
    expect((await fx.app.request('/readyz')).status).toBe(503);
  });
});

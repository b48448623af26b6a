// Following an import job from memory: snapshots as it changes (reading throttled, 書き込み中 and
// the end at once), ending with the finished job; a follower that stops is forgotten.
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { CsvImportProgress, CsvImportResult } from './csv-import.ts';
import { createImportJobs, type ImportJob } from './import-jobs.ts';

const clock = { now: () => Date.now(), sleep: (ms: number) => new Promise<void>((r) => setTimeout(r, ms)) };
const RESULT: CsvImportResult = { imported: 3, created: 3, updated: 0, errors: [] };

/** An import the test drives by hand: progress when it says, the end when it lets go. */
function handDriven(intervalMs = 50) {
  let report: (progress: CsvImportProgress) => void = () => {};
  let finish: (result: CsvImportResult) => void = () => {};
  let fail: (error: Error) => void = () => {};
  const jobs = createImportJobs(
    (_actor, _bytes, _options, onProgress) => {
      report = onProgress;
      return new Promise<CsvImportResult>((resolve, reject) => {
        finish = resolve;
        fail = reject;
      });
    },
    clock,
    () => {},
    intervalMs,
  );
  const job = jobs.start('admin', new Uint8Array(300), {});
  return {
    jobs,
    job,
    read: (bytesRead: number, rows: number) => report({ bytesRead, totalBytes: 300, rows, phase: 'reading' }),
    write: () => report({ bytesRead: 300, totalBytes: 300, rows: 3, phase: 'writing' }),
    finish: () => finish(RESULT),
    fail: () => fail(new Error('disk full')),
  };
}

const tick = (ms = 0) => new Promise((resolve) => setTimeout(resolve, ms));

describe('following an import job', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('yields reading progress, then 書き込み中 while the write is still under way, then the finished job', async () => {
    const run = handDriven();
    const follower = run.jobs.follow(run.job.id)[Symbol.asyncIterator]();
    const first = await follower.next();
    expect(first.value?.progress).toMatchObject({ bytesRead: 0, phase: 'reading' });
    expect(run.jobs.followerCount(run.job.id)).toBe(1);

    run.read(100, 1);
    expect((await follower.next()).value?.progress).toMatchObject({ bytesRead: 100, rows: 1 });
    run.write();
    // The write has not ended (the run's promise is pending): the follower says so anyway.
    const writing = await follower.next();
    expect(writing.value).toMatchObject({ status: 'running', progress: { phase: 'writing', rows: 3 } });

    run.finish();
    const done = await follower.next();
    expect(done.value).toMatchObject({ status: 'done', result: RESULT });
    expect(done.value?.finishedAt).toBeInstanceOf(Date);
    expect(await follower.next()).toEqual({ done: true, value: undefined });
    expect(run.jobs.followerCount(run.job.id)).toBe(0);
  });

  it('tells reading progress at most once an interval, but the phase change at once', async () => {
    // Fake timers and a fake Date (the jobs' clock): the interval is measured on them, not on a
    // machine that may be busy.
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    const run = handDriven(200);
    const seen: ImportJob[] = [];
    const following = (async () => {
      for await (const job of run.jobs.follow(run.job.id)) seen.push(job);
    })();
    await vi.advanceTimersByTimeAsync(0);
    for (let bytes = 10; bytes <= 100; bytes += 10) {
      run.read(bytes, bytes / 10);
      await vi.advanceTimersByTimeAsync(5);
    }
    // 10 reports within 50 ms: the first snapshot, and none of them before the interval passed.
    expect(seen).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(149);
    expect(seen).toHaveLength(1);
    // The interval passes: the latest reading, once; another interval, and the next is told at once.
    await vi.advanceTimersByTimeAsync(1);
    expect(seen.map((job) => job.progress.bytesRead)).toEqual([0, 100]);
    await vi.advanceTimersByTimeAsync(300);
    expect(seen).toHaveLength(2);

    run.read(150, 15);
    await vi.advanceTimersByTimeAsync(0);
    expect(seen.at(-1)?.progress.bytesRead).toBe(150);
    run.write();
    await vi.advanceTimersByTimeAsync(0);
    // At once after the last snapshot, well inside the interval: 書き込み中 is not held back.
    expect(seen.at(-1)?.progress.phase).toBe('writing');
    run.finish();
    await vi.advanceTimersByTimeAsync(0);
    await following;
    expect(seen.at(-1)?.status).toBe('done');
  });

  it('ends with a failed job', async () => {
    const run = handDriven();
    const seen: ImportJob[] = [];
    const following = (async () => {
      for await (const job of run.jobs.follow(run.job.id)) seen.push(job);
    })();
    await tick();
    run.fail();
    await following;
    expect(seen.map((job) => job.status)).toEqual(['running', 'failed']);
  });

  it('stops and forgets the follower when its signal aborts', async () => {
    const run = handDriven();
    const abort = new AbortController();
    const seen: ImportJob[] = [];
    const following = (async () => {
      for await (const job of run.jobs.follow(run.job.id, abort.signal)) seen.push(job);
    })();
    await tick();
    expect(run.jobs.followerCount(run.job.id)).toBe(1);
    abort.abort();
    await following;
    expect(seen).toHaveLength(1);
    expect(run.jobs.followerCount(run.job.id)).toBe(0);
    run.finish();
  });

  it('forgets a follower whose reader stops early', async () => {
    const run = handDriven();
    for await (const job of run.jobs.follow(run.job.id)) {
      expect(job.status).toBe('running');
      break;
    }
    expect(run.jobs.followerCount(run.job.id)).toBe(0);
    run.finish();
  });

  it('yields a finished job once, and nothing for an unknown one', async () => {
    const run = handDriven();
    run.finish();
    await run.jobs.wait(run.job.id);
    const finished: ImportJob[] = [];
    for await (const job of run.jobs.follow(run.job.id)) finished.push(job);
    expect(finished.map((job) => job.status)).toEqual(['done']);
    const unknown: ImportJob[] = [];
    for await (const job of run.jobs.follow('no-such-job')) unknown.push(job);
    expect(unknown).toEqual([]);
  });
});

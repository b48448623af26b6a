import { randomUUID } from 'node:crypto';
import type { Clock } from '@renkei/core';
import { HubError } from '../errors.ts';
import type { CsvImportOptions, CsvImportProgress, CsvImportResult } from './csv-import.ts';
import { followJob, type JobWatchers, watchers } from './import-follow.ts';

export type ImportJobStatus = 'running' | 'done' | 'failed';

export interface ImportJob {
  id: string;
  /** The user who started it (only they and other admins see it). */
  actor: string;
  status: ImportJobStatus;
  startedAt: Date;
  finishedAt: Date | null;
  progress: CsvImportProgress;
  result: CsvImportResult | null;
}

type RunImport = (
  actor: string,
  bytes: Uint8Array,
  options: CsvImportOptions,
  onProgress: (progress: CsvImportProgress) => void,
  signal: AbortSignal,
) => Promise<CsvImportResult>;

/** Finished imports kept for their report (the page and the error CSV); older ones are forgotten. */
const KEEP_FINISHED = 20;

/** A follower hears of the file being read at most this often (a phase change or the end at once). */
export const FOLLOW_INTERVAL_MS = 250;

/**
 * CSV imports as background work in this process: `start` returns at once with the job, which
 * reports its progress; one import runs at a time (two would fight over the same rows).
 */
export function createImportJobs(
  run: RunImport,
  clock: Clock,
  onFailure: (error: unknown) => void,
  followIntervalMs = FOLLOW_INTERVAL_MS,
) {
  const jobs = new Map<string, ImportJob>();
  const running = new Map<string, { done: Promise<void>; abort: AbortController }>();
  const followers: JobWatchers = watchers();

  function forgetOld(): void {
    const finished = [...jobs.values()].filter((job) => job.status !== 'running');
    for (const job of finished.slice(0, Math.max(0, finished.length - KEEP_FINISHED))) jobs.delete(job.id);
  }

  return {
    start(actor: string, bytes: Uint8Array, options: CsvImportOptions): ImportJob {
      if (running.size > 0) {
        throw new HubError(
          'conflict',
          '別のCSV取り込みを実行中です。終わってからもう一度取り込んでください。',
        );
      }
      const job: ImportJob = {
        id: randomUUID(),
        actor,
        status: 'running',
        startedAt: new Date(clock.now()),
        finishedAt: null,
        progress: { bytesRead: 0, totalBytes: bytes.length, rows: 0, phase: 'reading' },
        result: null,
      };
      jobs.set(job.id, job);
      const abort = new AbortController();
      const done = run(
        actor,
        bytes,
        options,
        (progress) => {
          job.progress = progress;
          followers.notify(job.id);
        },
        abort.signal,
      ).then(
        (result) => {
          job.result = result;
          job.status = 'done';
        },
        (error: unknown) => {
          job.status = 'failed';
          if (!abort.signal.aborted) onFailure(error);
        },
      );
      running.set(job.id, {
        abort,
        done: done.finally(() => {
          job.finishedAt = new Date(clock.now());
          running.delete(job.id);
          forgetOld();
          followers.notify(job.id);
        }),
      });
      return { ...job };
    },
    get(id: string): ImportJob | null {
      const job = jobs.get(id);
      return job ? { ...job } : null;
    },
    /**
     * The job as it changes, from memory only (no database: PGlite's publish holds its one
     * connection for seconds, and this is how a page still sees 書き込み中). Yields the job now,
     * then on each change — reading progress at most every `followIntervalMs`, a phase change and
     * the end at once — and ends after yielding the finished job, or when `signal` aborts.
     * Nothing for an unknown id.
     */
    follow(id: string, signal?: AbortSignal): AsyncIterable<ImportJob> {
      const job = jobs.get(id);
      if (!job) return (async function* () {})();
      return followJob(job, followers, { intervalMs: followIntervalMs, now: () => clock.now(), signal });
    },
    /** Followers listening now (all of them end with their job or their signal). */
    followerCount: (id: string): number => followers.count(id),
    /** Resolves when the job has finished (at once when it is unknown or finished). */
    async wait(id: string): Promise<ImportJob | null> {
      await running.get(id)?.done;
      return this.get(id);
    },
    /** Stops running imports (each rolls back) and waits for them. */
    async close(): Promise<void> {
      for (const job of running.values()) job.abort.abort();
      await Promise.all([...running.values()].map((job) => job.done));
    },
  };
}

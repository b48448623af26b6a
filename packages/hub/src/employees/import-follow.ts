// Following an import job in memory: change notifications per job, and the follower that turns
// them into snapshots, throttled while the file is read.
import type { ImportJob } from './import-jobs.ts';

/** One follower's doorbell: rung on every change to its job. */
interface Watcher {
  /** Resolves on the next change (or one missed since the last call), after `timeoutMs`, or on abort. */
  changed(signal: AbortSignal | undefined, timeoutMs: number): Promise<void>;
  stop(): void;
}

export interface JobWatchers {
  /** Tells the job's followers it changed. */
  notify(id: string): void;
  watch(id: string): Watcher;
  count(id: string): number;
}

export function watchers(): JobWatchers {
  const byJob = new Map<string, Set<() => void>>();
  return {
    notify(id) {
      for (const ring of byJob.get(id) ?? []) ring();
    },
    count: (id) => byJob.get(id)?.size ?? 0,
    watch(id) {
      let rung = false;
      let wake = (): void => {};
      const ring = () => {
        rung = true;
        wake();
      };
      const set = byJob.get(id) ?? new Set();
      set.add(ring);
      byJob.set(id, set);
      return {
        async changed(signal, timeoutMs) {
          if (!rung && !signal?.aborted) {
            await new Promise<void>((resolve) => {
              let timer: ReturnType<typeof setTimeout> | undefined;
              const done = () => {
                clearTimeout(timer);
                signal?.removeEventListener('abort', done);
                wake = () => {};
                resolve();
              };
              wake = done;
              signal?.addEventListener('abort', done, { once: true });
              if (Number.isFinite(timeoutMs)) timer = setTimeout(done, timeoutMs);
            });
          }
          rung = false;
        },
        stop() {
          set.delete(ring);
          if (set.size === 0 && byJob.get(id) === set) byJob.delete(id);
        },
      };
    },
  };
}

const snapshot = (job: ImportJob): ImportJob => ({ ...job });

/** Whether a follower must hear of this at once: the phase changed, or the job ended. */
const turned = (job: ImportJob, shown: ImportJob): boolean =>
  job.status !== shown.status || job.progress.phase !== shown.progress.phase;

/**
 * Yields `job` now and as it changes (the job object is the one its import updates in place), then
 * ends after yielding it finished, or once `signal` aborts. Never touches the database. `now` is the
 * throttle's time source (the jobs' clock; a test's fake one), in milliseconds.
 */
export async function* followJob(
  job: ImportJob,
  jobWatchers: JobWatchers,
  options: { intervalMs: number; now: () => number; signal?: AbortSignal | undefined },
): AsyncGenerator<ImportJob> {
  const { intervalMs, now, signal } = options;
  const watcher = jobWatchers.watch(job.id);
  try {
    let shown = snapshot(job);
    let shownAt = now();
    yield shown;
    while (shown.status === 'running' && !signal?.aborted) {
      const pending = job.progress !== shown.progress || job.status !== shown.status;
      const wait = !pending
        ? Number.POSITIVE_INFINITY
        : turned(job, shown)
          ? 0
          : shownAt + intervalMs - now();
      if (wait > 0) {
        await watcher.changed(signal, wait);
        continue;
      }
      // The end is told by `finishedAt`, set last: a follower never sees a job half finished.
      if (job.status !== 'running' && job.finishedAt === null) {
        await watcher.changed(signal, Number.POSITIVE_INFINITY);
        continue;
      }
      shown = snapshot(job);
      shownAt = now();
      yield shown;
    }
  } finally {
    watcher.stop();
  }
}

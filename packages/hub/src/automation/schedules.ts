import type { Logger } from '@renkei/core';
import { and, asc, eq } from 'drizzle-orm';
import type { PgBoss } from 'pg-boss';
import { z } from 'zod';
import { recordAudit } from '../audit/audit.ts';
import type { Db } from '../db/adapter.ts';
import { connections, schedules } from '../db/schema.ts';
import { HubError } from '../errors.ts';
import { isUuid, zodIssues } from '../validation.ts';
import { type AutomaticSync, type AutomaticSyncs, DEFAULT_MAX_CHANGE_PERCENT } from './automatic-sync.ts';
import { presetCron, SCHEDULE_TIME_ZONE, SchedulePreset, validateCron } from './cron.ts';

/** The queue a schedule's occurrences (and 今すぐ実行) arrive on; one job = one automatic sync. */
export const SCHEDULE_QUEUE = 'renkei-schedule';

export type Schedule = typeof schedules.$inferSelect;

export interface ScheduleJob {
  scheduleId: string;
}

/** What the スケジュール form submits. */
export const ScheduleInput = z.object({
  direction: z.enum(['import', 'export'], { error: '連携の方向を選んでください。' }),
  preset: SchedulePreset,
  /** 0–23, for 毎日 / 平日. */
  hour: z.coerce
    .number()
    .int()
    .min(0, '時刻を正しく入力してください。')
    .max(23, '時刻を正しく入力してください。')
    .default(6),
  minute: z.coerce
    .number()
    .int()
    .min(0, '分を正しく入力してください。')
    .max(59, '分を正しく入力してください。')
    .default(0),
  /** For `custom`. */
  cron: z.string().max(100).optional(),
  enabled: z.boolean().default(true),
  maxChangePercent: z.coerce
    .number({ error: '上限は 0〜100 の整数で入力してください。' })
    .int('上限は 0〜100 の整数で入力してください。')
    .min(0, '上限は 0〜100 の整数で入力してください。')
    .max(100, '上限は 0〜100 の整数で入力してください。')
    .default(DEFAULT_MAX_CHANGE_PERCENT),
});

/**
 * スケジュール: rows here, timers in pg-boss (`schedule` keyed by the row's id, in Asia/Tokyo), so any
 * process working the queue fires them, on PGlite and PostgreSQL alike. pg-boss files each occurrence
 * once however many processes run its cron pass.
 */
export function createSchedules(deps: {
  db: Db;
  boss: PgBoss;
  syncs: AutomaticSyncs;
  logger: Logger;
  requireAdmin(actor: string): Promise<unknown>;
}) {
  const { db, boss } = deps;

  async function get(id: string): Promise<Schedule | null> {
    if (!isUuid(id)) return null;
    const [row] = await db.select().from(schedules).where(eq(schedules.id, id));
    return row ?? null;
  }

  async function arm(schedule: Schedule): Promise<void> {
    if (schedule.enabled) {
      await boss.schedule(SCHEDULE_QUEUE, schedule.cron, { scheduleId: schedule.id } satisfies ScheduleJob, {
        tz: SCHEDULE_TIME_ZONE,
        key: schedule.id,
        retryLimit: 0,
      });
    } else await boss.unschedule(SCHEDULE_QUEUE, schedule.id);
  }

  return {
    get,
    async list(connectionId: string): Promise<Schedule[]> {
      if (!isUuid(connectionId)) return [];
      return db
        .select()
        .from(schedules)
        .where(eq(schedules.connectionId, connectionId))
        .orderBy(asc(schedules.direction));
    },
    /** The next times (Asia/Tokyo) a cron fires, as pg-boss walks it. */
    nextRuns(cron: string, count = 3): Date[] {
      return boss.previewSchedule(cron, { tz: SCHEDULE_TIME_ZONE, count });
    },
    /** Creates or replaces the connection's schedule for the direction; the saving admin owns it. */
    async save(actor: string, connectionId: string, input: unknown): Promise<Schedule> {
      await deps.requireAdmin(actor);
      const [connection] = isUuid(connectionId)
        ? await db.select({ id: connections.id }).from(connections).where(eq(connections.id, connectionId))
        : [];
      if (!connection) throw new HubError('not_found', '連携設定が見つかりません。');
      const parsed = ScheduleInput.safeParse(input);
      if (!parsed.success) {
        const issues = zodIssues(parsed.error);
        throw new HubError('validation', issues[0]?.message ?? 'スケジュールの指定に誤りがあります。', {
          issues,
        });
      }
      const { preset, hour, minute } = parsed.data;
      const cron = validateCron(
        preset === 'custom' ? (parsed.data.cron ?? '') : presetCron(preset, hour, minute),
        (candidate) => boss.previewSchedule(candidate, { tz: SCHEDULE_TIME_ZONE, count: 1 }),
      );
      const values = {
        connectionId,
        direction: parsed.data.direction,
        preset,
        cron,
        enabled: parsed.data.enabled,
        maxChangePercent: parsed.data.maxChangePercent,
        ownerId: actor,
        updatedAt: new Date(),
      };
      const saved = await db.transaction(async (tx) => {
        const [row] = await tx
          .insert(schedules)
          .values(values)
          .onConflictDoUpdate({ target: [schedules.connectionId, schedules.direction], set: values })
          .returning();
        await recordAudit(tx as Db, {
          actor: `user:${actor}`,
          action: 'schedule.save',
          target: `connection:${connectionId}`,
          details: {
            direction: values.direction,
            cron,
            enabled: values.enabled,
            maxChangePercent: values.maxChangePercent,
          },
        });
        return row as Schedule;
      });
      await arm(saved);
      return saved;
    },
    async remove(actor: string, id: string): Promise<void> {
      await deps.requireAdmin(actor);
      const schedule = await get(id);
      if (!schedule) throw new HubError('not_found', 'スケジュールが見つかりません。');
      await boss.unschedule(SCHEDULE_QUEUE, id);
      await db.transaction(async (tx) => {
        await tx.delete(schedules).where(eq(schedules.id, id));
        await recordAudit(tx as Db, {
          actor: `user:${actor}`,
          action: 'schedule.remove',
          target: `connection:${schedule.connectionId}`,
          details: { direction: schedule.direction, cron: schedule.cron },
        });
      });
    },
    /** 今すぐ実行: the schedule's sync on the queue now, through the same path (and guard rails). */
    async fireNow(actor: string, id: string): Promise<void> {
      await deps.requireAdmin(actor);
      if (!(await get(id))) throw new HubError('not_found', 'スケジュールが見つかりません。');
      await boss.send(SCHEDULE_QUEUE, { scheduleId: id } satisfies ScheduleJob, { retryLimit: 0 });
    },
    /** Works one occurrence: the automatic sync of the schedule (gone or paused: nothing). */
    async fire(job: ScheduleJob): Promise<AutomaticSync | null> {
      const schedule = await get(job.scheduleId);
      if (!schedule) return null;
      return deps.syncs.run({
        connectionId: schedule.connectionId,
        direction: schedule.direction,
        trigger: 'schedule',
        actor: schedule.ownerId,
        scheduleId: schedule.id,
        maxChangePercent: schedule.maxChangePercent,
      });
    },
    /** The guard rail a trigger of this connection and direction uses: its schedule's, else the default. */
    async maxChangePercent(connectionId: string, direction: 'import' | 'export'): Promise<number> {
      const [row] = await db
        .select({ max: schedules.maxChangePercent })
        .from(schedules)
        .where(and(eq(schedules.connectionId, connectionId), eq(schedules.direction, direction)));
      return row?.max ?? DEFAULT_MAX_CHANGE_PERCENT;
    },
  };
}

export type Schedules = ReturnType<typeof createSchedules>;

/** Works the schedule queue; resolves to a stop function. */
export async function workSchedules(boss: PgBoss, schedules: Schedules, logger: Logger) {
  const id = await boss.work<ScheduleJob>(SCHEDULE_QUEUE, { localConcurrency: 1 }, async ([job]) => {
    if (!job) return;
    const result = await schedules.fire(job.data);
    logger.info('automatic sync', { scheduleId: job.data.scheduleId, outcome: result?.outcome ?? 'gone' });
  });
  return () => boss.offWork(SCHEDULE_QUEUE, { id, wait: true });
}

import { type Clock, isConnectorError, type Logger, tokyoDate } from '@renkei/core';
import { and, count, desc, eq, inArray, isNull, or } from 'drizzle-orm';
import type { Db } from '../db/adapter.ts';
import { automaticSyncs, connections, previewEntries, runs, users } from '../db/schema.ts';
import { isHubError } from '../errors.ts';
import { enqueueNotification } from '../notifications/outbox.ts';
import { type Page, type PageRequest, pageOf } from '../paging.ts';
import { type Direction, defaultExportEmployment, type Previews } from '../previews/previews.ts';
import { directionLabel } from '../runs/labels.ts';
import type { Leases } from '../runs/lease.ts';
import type { Runs } from '../runs/runs.ts';

/** The share of employees an automatic run may change before it stops (percent). */
export const DEFAULT_MAX_CHANGE_PERCENT = 10;

export type AutomaticSync = typeof automaticSyncs.$inferSelect;
export type AutomaticOutcome = AutomaticSync['outcome'];

export const AUTOMATIC_OUTCOME_LABELS: Record<AutomaticOutcome, string> = {
  started: '開始',
  stopped: '停止（確認待ち）',
  unchanged: '差分なし',
  skipped: 'スキップ',
  failed: '失敗',
};

export interface AutomaticRequest {
  connectionId: string;
  direction: Direction;
  trigger: 'schedule' | 'webhook';
  /** The admin the sync acts for (the schedule's owner, the trigger token's creator). */
  actor: string;
  scheduleId?: string;
  maxChangePercent: number;
  /** Narrows the sync to these 社員番号 (a webhook naming one employee). */
  codes?: readonly string[];
}

/** What a preview would do, as the guard rails judge it. */
export interface GuardFacts {
  /** Employees compared. */
  total: number;
  /** Entries the policy lets an automatic run write (新規登録 / 差分あり, selectable). */
  writable: number;
  invalid: number;
  conflict: number;
  identityMismatch: number;
}

/** Why an automatic run must not write on its own, or none: the guard rails. */
export function guardRailReasons(facts: GuardFacts, maxChangePercent: number): string[] {
  const reasons: string[] = [];
  if (facts.total > 0 && facts.writable * 100 > maxChangePercent * facts.total) {
    const share = Math.round((facts.writable * 1000) / facts.total) / 10;
    reasons.push(
      `変更する従業員が ${facts.writable} 名（${share}%）で、上限の ${maxChangePercent}% を超えています。`,
    );
  }
  if (facts.identityMismatch > 0)
    reasons.push(`別人の可能性がある従業員が ${facts.identityMismatch} 名います。`);
  if (facts.invalid > 0) reasons.push(`エラーの従業員が ${facts.invalid} 名います。`);
  if (facts.conflict > 0) reasons.push(`社員番号が重複している従業員が ${facts.conflict} 名います。`);
  return reasons;
}

/**
 * The one path every automatic sync takes (a schedule firing, an incoming trigger, 今すぐ実行): take
 * the connection's lease or skip (one sync of a connection at a time, never queued behind another),
 * make a preview under the 同期ルール with the wizard's defaults (newest 処理年度, 在籍者のみ for
 * exports), judge it by the guard rails, then start a run of what the policy allows — or stop before
 * writing and tell the admins, leaving the preview for one of them to run by hand.
 */
export function createAutomaticSyncs(deps: {
  db: Db;
  previews: Previews;
  runs: Runs;
  leases: Leases;
  clock: Clock;
  logger: Logger;
  mail: boolean;
  onNotified(): void;
}) {
  const { db } = deps;

  async function record(request: AutomaticRequest, values: Partial<AutomaticSync>): Promise<AutomaticSync> {
    const [row] = await db
      .insert(automaticSyncs)
      .values({
        connectionId: request.connectionId,
        direction: request.direction,
        trigger: request.trigger,
        scheduleId: request.scheduleId ?? null,
        outcome: 'failed',
        ...values,
      })
      .returning();
    return row as AutomaticSync;
  }

  async function facts(previewId: string, codes: readonly string[] | undefined): Promise<GuardFacts> {
    const scope = and(
      eq(previewEntries.previewId, previewId),
      codes ? inArray(previewEntries.employeeCode, [...codes]) : undefined,
    );
    const rows = await db
      .select({ status: previewEntries.status, selectable: previewEntries.selectable, n: count() })
      .from(previewEntries)
      .where(scope)
      .groupBy(previewEntries.status, previewEntries.selectable);
    const sum = (match: (row: (typeof rows)[number]) => boolean) =>
      rows.filter(match).reduce((total, row) => total + row.n, 0);
    // The share is of every employee compared, also when a webhook names a few of them.
    const [all] = codes
      ? await db.select({ n: count() }).from(previewEntries).where(eq(previewEntries.previewId, previewId))
      : [{ n: sum(() => true) }];
    return {
      total: all?.n ?? 0,
      writable: sum((row) => row.selectable && (row.status === 'new' || row.status === 'changed')),
      invalid: sum((row) => row.status === 'invalid'),
      conflict: sum((row) => row.status === 'conflict'),
      // Held back by the policy (新規登録のみ) it is not touched; otherwise it stops the run.
      identityMismatch: sum((row) => row.status === 'identity_mismatch' && row.selectable),
    };
  }

  async function notifyAdmins(request: AutomaticRequest, title: string, lines: string[]): Promise<void> {
    const admins = await db
      .select({ id: users.id })
      .from(users)
      .where(and(eq(users.role, 'admin'), isNull(users.deactivatedAt)));
    for (const admin of admins) {
      await enqueueNotification(
        db,
        {
          userId: admin.id,
          runId: null,
          title,
          body: lines.join('\n'),
          payload: { counts: {}, failures: [] },
        },
        { mail: deps.mail },
      );
    }
    if (admins.length > 0) deps.onNotified();
    deps.logger.info('automatic sync needs an admin', { connectionId: request.connectionId, title });
  }

  async function connectionName(id: string): Promise<string> {
    const [row] = await db
      .select({ name: connections.displayName })
      .from(connections)
      .where(eq(connections.id, id));
    return row?.name ?? '連携先';
  }

  async function activeRun(connectionId: string): Promise<boolean> {
    const [row] = await db
      .select({ id: runs.id })
      .from(runs)
      .where(
        and(eq(runs.connectionId, connectionId), or(eq(runs.status, 'queued'), eq(runs.status, 'running'))),
      )
      .limit(1);
    return row !== undefined;
  }

  async function run(request: AutomaticRequest): Promise<AutomaticSync> {
    const lease = await deps.leases.tryAcquire(request.connectionId);
    if (!lease)
      return record(request, {
        outcome: 'skipped',
        reason: '前回の同期がまだ実行中のため、今回はスキップしました。',
      });
    try {
      // Checked under the lease: a run started before it was taken is seen here; one started after
      // by hand is refused by the database's one-active-run index (a conflict, skipped below).
      if (await activeRun(request.connectionId)) {
        return await record(request, {
          outcome: 'skipped',
          reason: '前回の同期がまだ実行中のため、今回はスキップしました。',
        });
      }
      const today = tokyoDate(deps.clock.now());
      const preview = await deps.previews.create(request.actor, {
        connectionId: request.connectionId,
        direction: request.direction,
        ...(request.direction === 'export' ? { employedOn: defaultExportEmployment(today).basisDate } : {}),
      });
      const reasons = guardRailReasons(await facts(preview.id, request.codes), request.maxChangePercent);
      if (reasons.length > 0) {
        const name = await connectionName(request.connectionId);
        await notifyAdmins(request, `自動同期を停止しました（${name}）`, [
          directionLabel(request.direction, name),
          '書き込む前に停止しました。何も書き込んでいません。',
          ...reasons,
          '',
          `差分を確認し、問題なければ手動で実行してください: /previews/${preview.id}`,
        ]);
        return await record(request, {
          outcome: 'stopped',
          reason: reasons.join(' '),
          previewId: preview.id,
        });
      }
      const started = await deps.runs
        .startAutomatic(request.actor, preview.id, request.trigger, request.codes)
        .catch((error: unknown) => {
          // A named 社員番号 the preview cannot write (absent, not importable): nothing to do.
          if (request.codes && isHubError(error, 'validation')) return null;
          throw error;
        });
      if (!started) return await record(request, { outcome: 'unchanged', previewId: preview.id });
      return await record(request, { outcome: 'started', previewId: preview.id, runId: started.id });
    } catch (error) {
      if (isHubError(error, 'conflict')) {
        return record(request, { outcome: 'skipped', reason: error.message });
      }
      if (!isHubError(error) && !isConnectorError(error)) throw error;
      const name = await connectionName(request.connectionId);
      await notifyAdmins(request, `自動同期に失敗しました（${name}）`, [
        directionLabel(request.direction, name),
        error.message,
      ]);
      return record(request, { outcome: 'failed', reason: error.message });
    } finally {
      await lease.release();
    }
  }

  return {
    run,
    /** 自動同期の記録 of a connection, newest first. */
    async history(connectionId: string, request: PageRequest = {}): Promise<Page<AutomaticSync>> {
      const where = eq(automaticSyncs.connectionId, connectionId);
      return pageOf(request, async (limit, offset) => {
        const [rows, [total]] = await Promise.all([
          db
            .select()
            .from(automaticSyncs)
            .where(where)
            .orderBy(desc(automaticSyncs.createdAt), desc(automaticSyncs.id))
            .limit(limit)
            .offset(offset),
          db.select({ n: count() }).from(automaticSyncs).where(where),
        ]);
        return { items: rows, total: total?.n ?? 0 };
      });
    },
  };
}

export type AutomaticSyncs = ReturnType<typeof createAutomaticSyncs>;

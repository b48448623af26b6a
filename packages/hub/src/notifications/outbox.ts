import { and, count, desc, eq, isNull } from 'drizzle-orm';
import type { Db } from '../db/adapter.ts';
import { type NotificationPayload, notifications } from '../db/schema.ts';
import { type Page, type PageRequest, pageOf } from '../paging.ts';

export interface Notification {
  id: string;
  runId: string | null;
  title: string;
  body: string;
  counts: NotificationPayload['counts'];
  failures: NotificationPayload['failures'];
  readAt: Date | null;
  createdAt: Date;
  /** `failed`: given up (rejected by the server, no recipient, or too many attempts). */
  mail: (typeof notifications.$inferSelect)['mail'];
}

export interface NewNotification {
  userId: string;
  /** Null for a notice about no run (an automatic sync stopped before writing). */
  runId: string | null;
  title: string;
  body: string;
  payload: NotificationPayload;
}

function toNotification(row: typeof notifications.$inferSelect): Notification {
  return {
    id: row.id,
    runId: row.runId,
    title: row.title,
    body: row.body,
    counts: row.payload.counts,
    failures: row.payload.failures,
    readAt: row.readAt,
    createdAt: row.createdAt,
    mail: row.mail,
  };
}

/** The in-app inbox over the outbox table. */
export function createInbox(db: Db) {
  return {
    async list(
      userId: string,
      request: PageRequest & { unreadOnly?: boolean } = {},
    ): Promise<Page<Notification>> {
      const where = and(
        eq(notifications.userId, userId),
        request.unreadOnly ? isNull(notifications.readAt) : undefined,
      );
      return pageOf(request, async (limit, offset) => {
        const [rows, [total]] = await Promise.all([
          db
            .select()
            .from(notifications)
            .where(where)
            .orderBy(desc(notifications.createdAt))
            .limit(limit)
            .offset(offset),
          db.select({ n: count() }).from(notifications).where(where),
        ]);
        return { items: rows.map(toNotification), total: total?.n ?? 0 };
      });
    },
    async unreadCount(userId: string): Promise<number> {
      const [row] = await db
        .select({ n: count() })
        .from(notifications)
        .where(and(eq(notifications.userId, userId), isNull(notifications.readAt)));
      return row?.n ?? 0;
    },
    async markRead(userId: string, id: string): Promise<void> {
      await db
        .update(notifications)
        .set({ readAt: new Date() })
        .where(and(eq(notifications.id, id), eq(notifications.userId, userId), isNull(notifications.readAt)));
    },
    async markAllRead(userId: string): Promise<void> {
      await db
        .update(notifications)
        .set({ readAt: new Date() })
        .where(and(eq(notifications.userId, userId), isNull(notifications.readAt)));
    },
  };
}

/**
 * Puts a notification in the outbox (once per run); `mail` says whether SMTP should carry it,
 * `readAt` records it as already read (a quiet success).
 */
export async function enqueueNotification(
  db: Db,
  input: NewNotification,
  options: { mail: boolean; readAt?: Date },
): Promise<void> {
  await db
    .insert(notifications)
    .values({ ...input, mail: options.mail ? 'pending' : 'none', readAt: options.readAt ?? null })
    .onConflictDoNothing();
}

import { createHash, randomBytes } from 'node:crypto';
import type { Clock } from '@renkei/core';
import { and, asc, count, eq, gt, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '../db/adapter.ts';
import { sessions, users } from '../db/schema.ts';
import { HubError } from '../errors.ts';
import { isUuid, zodIssues } from '../validation.ts';
import { hashPassword, verifyPassword } from './password.ts';

export const Role = z.enum(['admin', 'member']);
export type Role = z.infer<typeof Role>;

export const NewUser = z.object({
  email: z.string().trim().toLowerCase().pipe(z.email('メールアドレスの形式が正しくありません。')),
  name: z.string().trim().min(1, '名前を入力してください。'),
  password: z.string().min(10, 'パスワードは10文字以上にしてください。'),
  role: Role,
});
export type NewUser = z.input<typeof NewUser>;

export const UserUpdate = NewUser.pick({ name: true, role: true, password: true }).partial();
export type UserUpdate = z.input<typeof UserUpdate>;

/** How a successful run is notified to the user who started it (failures are always unread). */
export const SuccessNotice = z.enum(['quiet', 'unread']);
export type SuccessNotice = z.infer<typeof SuccessNotice>;

export interface User {
  id: string;
  email: string;
  name: string;
  role: Role;
  /** `quiet` (default): a success is recorded as read, without mail; `unread`: like a failure. */
  successNotice: SuccessNotice;
  createdAt: Date;
}

export interface AuthSession {
  token: string;
  user: User;
  expiresAt: Date;
}

const SESSION_TTL_MS = 12 * 60 * 60 * 1000;

const publicColumns = {
  id: users.id,
  email: users.email,
  name: users.name,
  role: users.role,
  successNotice: users.successNotice,
  createdAt: users.createdAt,
};

const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');

function parse<T extends z.ZodType>(schema: T, input: unknown): z.output<T> {
  const result = schema.safeParse(input);
  if (!result.success) {
    throw new HubError('validation', '入力内容に誤りがあります。', { issues: zodIssues(result.error) });
  }
  return result.data;
}

export function createUsers(db: Db) {
  async function get(id: string): Promise<User | null> {
    if (!isUuid(id)) return null;
    const [row] = await db.select(publicColumns).from(users).where(eq(users.id, id));
    return row ?? null;
  }

  /** The acting user, who must be an admin (only admins configure connections and run syncs). */
  async function requireAdmin(actor: string): Promise<User> {
    const user = await get(actor);
    if (user?.role !== 'admin') {
      throw new HubError('forbidden', 'この操作は管理者のみ実行できます。');
    }
    return user;
  }

  async function insert(input: NewUser, executor: Db = db): Promise<User> {
    const data = parse(NewUser, input);
    const passwordHash = await hashPassword(data.password);
    const [row] = await executor
      .insert(users)
      .values({ email: data.email, name: data.name, role: data.role, passwordHash })
      .onConflictDoNothing()
      .returning(publicColumns);
    if (!row) throw new HubError('conflict', `${data.email} は既に登録されています。`);
    return row;
  }

  return {
    get,
    requireAdmin,
    async needsBootstrap(): Promise<boolean> {
      const [row] = await db.select({ n: count() }).from(users);
      return (row?.n ?? 0) === 0;
    },
    /** The first admin of a new installation; refused once any user exists. */
    async bootstrap(input: Omit<NewUser, 'role'>): Promise<User> {
      return db.transaction(async (tx) => {
        // Serialise concurrent bootstraps so only one can see an empty table.
        await tx.execute(sql`lock table users in exclusive mode`);
        const [row] = await tx.select({ n: count() }).from(users);
        if ((row?.n ?? 0) > 0) throw new HubError('conflict', '初期管理者は既に作成されています。');
        return insert({ ...input, role: 'admin' }, tx as Db);
      });
    },
    async create(actor: string, input: NewUser): Promise<User> {
      await requireAdmin(actor);
      return insert(input);
    },
    async list(): Promise<User[]> {
      return db.select(publicColumns).from(users).orderBy(asc(users.email));
    },
    async update(actor: string, id: string, input: UserUpdate): Promise<User> {
      await requireAdmin(actor);
      const data = parse(UserUpdate, input);
      const [row] = await db
        .update(users)
        .set({
          ...(data.name === undefined ? {} : { name: data.name }),
          ...(data.role === undefined ? {} : { role: data.role }),
          ...(data.password === undefined ? {} : { passwordHash: await hashPassword(data.password) }),
          updatedAt: new Date(),
        })
        .where(eq(users.id, id))
        .returning(publicColumns);
      if (!row) throw new HubError('not_found', 'ユーザーが見つかりません。');
      return row;
    },
    /** A user's own notification setting (anyone may set their own, no one another's). */
    async setSuccessNotice(userId: string, notice: unknown): Promise<User> {
      const value = SuccessNotice.safeParse(notice);
      if (!value.success) throw new HubError('validation', '通知の設定が正しくありません。');
      const [row] = await db
        .update(users)
        .set({ successNotice: value.data, updatedAt: new Date() })
        .where(eq(users.id, userId))
        .returning(publicColumns);
      if (!row) throw new HubError('not_found', 'ユーザーが見つかりません。');
      return row;
    },
  };
}

export function createAuth(db: Db, clock: Clock) {
  return {
    async login(email: string, password: string): Promise<AuthSession> {
      const [row] = await db.select().from(users).where(eq(users.email, email.trim().toLowerCase()));
      // Verify against a hash either way, so timing does not tell which addresses exist.
      const ok = await verifyPassword(password, row?.passwordHash ?? DUMMY_HASH);
      if (!row || !ok) throw new HubError('auth', 'メールアドレスまたはパスワードが正しくありません。');
      const token = randomBytes(32).toString('base64url');
      const expiresAt = new Date(clock.now() + SESSION_TTL_MS);
      await db.insert(sessions).values({ tokenHash: hashToken(token), userId: row.id, expiresAt });
      const { passwordHash: _, updatedAt: __, ...user } = row;
      return { token, user, expiresAt };
    },
    async session(token: string): Promise<{ user: User; expiresAt: Date } | null> {
      const [row] = await db
        .select({ user: publicColumns, expiresAt: sessions.expiresAt })
        .from(sessions)
        .innerJoin(users, eq(users.id, sessions.userId))
        .where(and(eq(sessions.tokenHash, hashToken(token)), gt(sessions.expiresAt, new Date(clock.now()))));
      return row ?? null;
    },
    async logout(token: string): Promise<void> {
      await db.delete(sessions).where(eq(sessions.tokenHash, hashToken(token)));
    },
  };
}

const DUMMY_HASH =
  '$argon2id$v=19$m=19456,t=2,p=1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA';

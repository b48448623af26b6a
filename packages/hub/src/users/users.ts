import { createHash, randomBytes } from 'node:crypto';
import type { Clock, Logger } from '@renkei/core';
import { and, asc, count, eq, gt, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '../db/adapter.ts';
import { sessions, users } from '../db/schema.ts';
import { HubError } from '../errors.ts';
import { isUuid, zodIssues } from '../validation.ts';
import { hashPassword, verifyPassword } from './password.ts';
import { ACCOUNT_POLICY, ADDRESS_POLICY, createThrottle, type ThrottleVerdict } from './throttle.ts';

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

export interface User {
  id: string;
  email: string;
  name: string;
  role: Role;
  createdAt: Date;
}

export interface AuthSession {
  token: string;
  user: User;
  expiresAt: Date;
}

export interface SessionLimits {
  /** A session unused this long ends (default 2 hours). */
  idleMs: number;
  /** A session ends this long after sign-in however busy (default 12 hours). */
  absoluteMs: number;
}

export const DEFAULT_SESSION_LIMITS: SessionLimits = {
  idleMs: 2 * 60 * 60_000,
  absoluteMs: 12 * 60 * 60_000,
};

/** A sign-in refused before the password is looked at: too many failures for the account or address. */
export class SignInThrottled extends HubError {
  readonly until: Date;
  readonly locked: boolean;
  constructor(until: Date, locked: boolean) {
    super('throttled', 'ログインの失敗が続いたため、しばらくログインできません。');
    this.until = until;
    this.locked = locked;
  }
}

export interface SignInOptions {
  /** The client's address, throttled on its own besides the account. */
  client?: string;
  /** The session the browser already holds: signing in again ends it. */
  replacing?: string;
}

const publicColumns = {
  id: users.id,
  email: users.email,
  name: users.name,
  role: users.role,
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
  };
}

export function createAuth(
  db: Db,
  clock: Clock,
  logger: Logger,
  limits: SessionLimits = DEFAULT_SESSION_LIMITS,
) {
  const accounts = createThrottle(clock, ACCOUNT_POLICY);
  const addresses = createThrottle(clock, ADDRESS_POLICY);
  const now = () => new Date(clock.now());

  /** The later-ending of two refusals (a lock outranks a wait). */
  function refusal(...verdicts: ThrottleVerdict[]): SignInThrottled | undefined {
    let worst: SignInThrottled | undefined;
    for (const verdict of verdicts) {
      if (verdict.allowed) continue;
      if (!worst || verdict.until > worst.until) worst = new SignInThrottled(verdict.until, verdict.locked);
    }
    return worst;
  }

  async function end(token: string): Promise<void> {
    await db.delete(sessions).where(eq(sessions.tokenHash, hashToken(token)));
  }

  return {
    /**
     * Signs in. Failures are throttled per account (whether it exists or not, so the answer does
     * not tell) and per client address, and audited in the log.
     */
    async login(email: string, password: string, options: SignInOptions = {}): Promise<AuthSession> {
      const account = email.trim().toLowerCase();
      const client = options.client ?? 'unknown';
      const refused = refusal(accounts.check(account), addresses.check(client));
      if (refused) {
        logger.warn('sign-in refused (throttled)', { email: account, client, until: refused.until });
        throw refused;
      }
      const [row] = await db.select().from(users).where(eq(users.email, account));
      // Verify against a hash either way, so timing does not tell which addresses exist.
      const ok = await verifyPassword(password, row?.passwordHash ?? DUMMY_HASH);
      if (!row || !ok) {
        const locked = [accounts.fail(account), addresses.fail(client)].filter((d) => d !== undefined);
        logger.warn('sign-in failed', { email: account, client });
        if (locked.length > 0) logger.warn('sign-in locked', { email: account, client, until: locked[0] });
        throw new HubError('auth', 'メールアドレスまたはパスワードが正しくありません。');
      }
      accounts.reset(account);
      if (options.replacing) await end(options.replacing);
      const token = randomBytes(32).toString('base64url');
      const createdAt = now();
      const expiresAt = new Date(createdAt.getTime() + Math.min(limits.idleMs, limits.absoluteMs));
      await db.insert(sessions).values({ tokenHash: hashToken(token), userId: row.id, expiresAt, createdAt });
      logger.info('signed in', { email: account, client });
      const { passwordHash: _, updatedAt: __, ...user } = row;
      return { token, user, expiresAt: new Date(createdAt.getTime() + limits.absoluteMs) };
    },
    /**
     * The session's user, or null once it ended: unused for `idleMs`, or `absoluteMs` after
     * sign-in. Each use moves the idle end on (at most once a minute, to spare the writes).
     */
    async session(token: string): Promise<{ user: User; expiresAt: Date } | null> {
      const at = now();
      const [row] = await db
        .select({ user: publicColumns, expiresAt: sessions.expiresAt, createdAt: sessions.createdAt })
        .from(sessions)
        .innerJoin(users, eq(users.id, sessions.userId))
        .where(
          and(
            eq(sessions.tokenHash, hashToken(token)),
            gt(sessions.expiresAt, at),
            gt(sessions.createdAt, new Date(at.getTime() - limits.absoluteMs)),
          ),
        );
      if (!row) return null;
      const end = Math.min(at.getTime() + limits.idleMs, row.createdAt.getTime() + limits.absoluteMs);
      if (end - row.expiresAt.getTime() >= 60_000) {
        await db
          .update(sessions)
          .set({ expiresAt: new Date(end) })
          .where(eq(sessions.tokenHash, hashToken(token)));
      }
      return { user: row.user, expiresAt: new Date(end) };
    },
    logout: end,
  };
}

const DUMMY_HASH =
  '$argon2id$v=19$m=19456,t=2,p=1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA';

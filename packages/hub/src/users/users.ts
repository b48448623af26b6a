import { randomBytes } from 'node:crypto';
import type { Clock, FieldIssue, Logger } from '@renkei/core';
import { and, asc, count, eq, gt, isNull, ne, sql } from 'drizzle-orm';
import { z } from 'zod';
import { recordAudit } from '../audit/audit.ts';
import type { Db } from '../db/adapter.ts';
import { sessions, users } from '../db/schema.ts';
import { HubError } from '../errors.ts';
import { hashToken } from '../token-hash.ts';
import { isUuid, zodIssues } from '../validation.ts';
import { createKeyedLock } from './keyed-lock.ts';
import { hashPassword, verifyPassword } from './password.ts';
import { passwordProblem } from './policy.ts';
import { auditSignInLocked, auditSignInRefused, type SignInScope } from './sign-in-audit.ts';
import {
  ACCOUNT_POLICY,
  ADDRESS_POLICY,
  createThrottle,
  type ThrottlePolicy,
  type ThrottleVerdict,
} from './throttle.ts';

export const Role = z.enum(['admin', 'member']);
export type Role = z.infer<typeof Role>;

const Email = z.string().trim().toLowerCase().pipe(z.email('メールアドレスの形式が正しくありません。'));
const Name = z
  .string()
  .trim()
  .min(1, '名前を入力してください。')
  .max(100, '名前は100文字以内にしてください。');
const Password = z.string().max(1000, 'パスワードは1000文字以内にしてください。');

/** The policy needs the account's e-mail and name beside the password (see policy.ts). */
function checkPolicy(user: { email: string; name: string; password: string }, ctx: z.RefinementCtx): void {
  const problem = passwordProblem(user.password, user);
  if (problem) ctx.addIssue({ code: 'custom', path: ['password'], message: problem });
}

export const NewUser = z
  .object({ email: Email, name: Name, password: Password, role: Role })
  .superRefine(checkPolicy);
export type NewUser = z.input<typeof NewUser>;

export const UserUpdate = z.object({ name: Name, role: Role, password: Password }).partial();
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
  /** Set once deactivated: the account cannot sign in. */
  deactivatedAt: Date | null;
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
  successNotice: users.successNotice,
  createdAt: users.createdAt,
  deactivatedAt: users.deactivatedAt,
};

function parse<T extends z.ZodType>(schema: T, input: unknown): z.output<T> {
  const result = schema.safeParse(input);
  if (!result.success) {
    throw new HubError('validation', '入力内容に誤りがあります。', { issues: zodIssues(result.error) });
  }
  return result.data;
}

const LAST_ADMIN = '有効な管理者が1人だけのため、この変更はできません。先に別の管理者を追加してください。';

/** Who acts: a signed-in admin (`user:<id>` in the audit log) or the operator at the server's terminal. */
export type Actor = { userId: string } | { operator: 'cli' | 'setup' };
const actorLabel = (actor: Actor) => ('userId' in actor ? `user:${actor.userId}` : actor.operator);

export function createUsers(db: Db) {
  async function get(id: string): Promise<User | null> {
    if (!isUuid(id)) return null;
    const [row] = await db.select(publicColumns).from(users).where(eq(users.id, id));
    return row ?? null;
  }

  /** The acting user, who must be an active admin (only admins configure connections and run syncs). */
  async function requireAdmin(actor: string): Promise<User> {
    const user = await get(actor);
    if (user?.role !== 'admin' || user.deactivatedAt !== null) {
      throw new HubError('forbidden', 'この操作は管理者のみ実行できます。');
    }
    return user;
  }

  async function insert(input: NewUser, actor: Actor, executor: Db): Promise<User> {
    const data = parse(NewUser, input);
    const passwordHash = await hashPassword(data.password);
    const [row] = await executor
      .insert(users)
      .values({ email: data.email, name: data.name, role: data.role, passwordHash })
      .onConflictDoNothing()
      .returning(publicColumns);
    if (!row) throw new HubError('conflict', `${data.email} は既に登録されています。`);
    await recordAudit(executor, {
      actor: actorLabel(actor),
      action: 'operator' in actor && actor.operator === 'setup' ? 'setup.first_admin' : 'user.create',
      target: `user:${row.id}`,
      details: { email: row.email, name: row.name, role: row.role },
    });
    return row;
  }

  /**
   * Runs a change that could leave no active admin, serialised against every other such change (two
   * admins demoting each other at once must not both succeed), and refuses it if it would.
   */
  async function guardedChange(
    id: string,
    losesAdmin: (target: User) => boolean,
    change: (tx: Db, target: User) => Promise<User>,
  ): Promise<User> {
    return db.transaction(async (tx) => {
      await tx.execute(sql`lock table users in share row exclusive mode`);
      const [target] = isUuid(id) ? await tx.select(publicColumns).from(users).where(eq(users.id, id)) : [];
      if (!target) throw new HubError('not_found', 'ユーザーが見つかりません。');
      if (losesAdmin(target)) {
        const [row] = await tx
          .select({ n: count() })
          .from(users)
          .where(and(eq(users.role, 'admin'), isNull(users.deactivatedAt), ne(users.id, id)));
        if ((row?.n ?? 0) === 0) throw new HubError('conflict', LAST_ADMIN);
      }
      return change(tx as Db, target);
    });
  }

  /** The first admin, inside the caller's transaction; refused once any user exists. */
  async function bootstrapIn(tx: Db, input: Omit<NewUser, 'role'>): Promise<User> {
    // Serialise concurrent bootstraps so only one can see an empty table.
    await tx.execute(sql`lock table users in exclusive mode`);
    const [row] = await tx.select({ n: count() }).from(users);
    if ((row?.n ?? 0) > 0) throw new HubError('conflict', '初期管理者は既に作成されています。');
    return insert({ ...input, role: 'admin' }, { operator: 'setup' }, tx);
  }

  const isActiveAdmin = (user: User) => user.role === 'admin' && user.deactivatedAt === null;

  async function setActive(actor: string, id: string, active: boolean): Promise<User> {
    await requireAdmin(actor);
    return guardedChange(
      id,
      (target) => !active && isActiveAdmin(target),
      async (tx, target) => {
        if ((target.deactivatedAt === null) === active) return target;
        const [row] = await tx
          .update(users)
          .set({ deactivatedAt: active ? null : new Date(), updatedAt: new Date() })
          .where(eq(users.id, id))
          .returning(publicColumns);
        // A deactivated account is signed out everywhere at once.
        if (!active) await tx.delete(sessions).where(eq(sessions.userId, id));
        await recordAudit(tx, {
          actor: `user:${actor}`,
          action: active ? 'user.reactivate' : 'user.deactivate',
          target: `user:${id}`,
          details: { email: target.email },
        });
        return row as User;
      },
    );
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
      return db.transaction(async (tx) => bootstrapIn(tx as Db, input));
    },
    bootstrapIn,
    async create(actor: string, input: NewUser): Promise<User> {
      await requireAdmin(actor);
      return db.transaction(async (tx) => insert(input, { userId: actor }, tx as Db));
    },
    /** `renkei users create`: the operator at the server, who holds the database already. */
    async createByOperator(input: NewUser): Promise<User> {
      return db.transaction(async (tx) => insert(input, { operator: 'cli' }, tx as Db));
    },
    /** Every user, active ones first, then by e-mail. */
    async list(): Promise<User[]> {
      return db
        .select(publicColumns)
        .from(users)
        .orderBy(sql`${users.deactivatedAt} is not null`, asc(users.email));
    },
    async update(actor: string, id: string, input: UserUpdate): Promise<User> {
      await requireAdmin(actor);
      const data = parse(UserUpdate, input);
      return guardedChange(
        id,
        (target) => data.role === 'member' && isActiveAdmin(target),
        async (tx, target) => {
          if (data.password !== undefined) {
            const problem = passwordProblem(data.password, {
              email: target.email,
              name: data.name ?? target.name,
            });
            if (problem) {
              throw new HubError('validation', '入力内容に誤りがあります。', {
                issues: [{ field: 'password' as FieldIssue['field'], message: problem }],
              });
            }
          }
          const [row] = await tx
            .update(users)
            .set({
              ...(data.name === undefined ? {} : { name: data.name }),
              ...(data.role === undefined ? {} : { role: data.role }),
              ...(data.password === undefined ? {} : { passwordHash: await hashPassword(data.password) }),
              updatedAt: new Date(),
            })
            .where(eq(users.id, id))
            .returning(publicColumns);
          const changed: Record<string, unknown> = {};
          if (data.name !== undefined && data.name !== target.name)
            changed.name = { before: target.name, after: data.name };
          if (data.role !== undefined && data.role !== target.role)
            changed.role = { before: target.role, after: data.role };
          if (Object.keys(changed).length > 0) {
            await recordAudit(tx, {
              actor: `user:${actor}`,
              action: 'user.update',
              target: `user:${id}`,
              details: changed,
            });
          }
          if (data.password !== undefined) {
            // A reset password ends the account's sessions; the value itself is never recorded.
            await tx.delete(sessions).where(eq(sessions.userId, id));
            await recordAudit(tx, {
              actor: `user:${actor}`,
              action: 'user.password_reset',
              target: `user:${id}`,
              details: { email: target.email },
            });
          }
          return row as User;
        },
      );
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
    deactivate: (actor: string, id: string) => setActive(actor, id, false),
    reactivate: (actor: string, id: string) => setActive(actor, id, true),
  };
}

const SCOPES: readonly SignInScope[] = ['account', 'address'];

export function createAuth(
  db: Db,
  clock: Clock,
  logger: Logger,
  limits: SessionLimits = DEFAULT_SESSION_LIMITS,
  policies: Readonly<Record<SignInScope, ThrottlePolicy>> = {
    account: ACCOUNT_POLICY,
    address: ADDRESS_POLICY,
  },
) {
  const accounts = createThrottle(db, clock, 'account', policies.account);
  const addresses = createThrottle(db, clock, 'address', policies.address);
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

  async function knownAccount(account: string): Promise<{ id: string; email: string } | undefined> {
    const [row] = await db
      .select({ id: users.id, email: users.email })
      .from(users)
      .where(eq(users.email, account));
    return row;
  }

  async function end(token: string): Promise<void> {
    await db.delete(sessions).where(eq(sessions.tokenHash, hashToken(token)));
  }

  const signInLock = createKeyedLock();
  /** Each lock whose first refused attempt is audited (by scope and key), with its end; kept while it holds. */
  const refusalAudited = new Map<string, number>();
  const forgetEndedLocks = () => {
    for (const [lock, until] of refusalAudited) if (until <= clock.now()) refusalAudited.delete(lock);
  };
  // With a short idle time, a minute's lag would end a session in use before its time.
  const touchAfterMs = Math.min(60_000, limits.idleMs / 10);

  async function attemptLogin(
    account: string,
    client: string,
    password: string,
    options: SignInOptions,
  ): Promise<AuthSession> {
    const verdicts = { account: await accounts.check(account), address: await addresses.check(client) };
    const refused = refusal(verdicts.account, verdicts.address);
    if (refused) {
      forgetEndedLocks();
      logger.warn('sign-in refused (throttled)', { email: account, client, until: refused.until });
      // Refused while locked (not merely slowed): in the audit log once per lock (the first attempt
      // it refuses). Every attempt would let anyone write to the audit table as fast as they can ask.
      const locks = SCOPES.flatMap((scope) => {
        const verdict = verdicts[scope];
        if (verdict.allowed || !verdict.locked) return [];
        const lock = `${scope}:${scope === 'account' ? account : client}`;
        if (refusalAudited.get(lock) === verdict.until.getTime()) return [];
        refusalAudited.set(lock, verdict.until.getTime());
        return [{ scope, until: verdict.until }];
      });
      if (locks.length > 0) {
        const until = new Date(Math.max(...locks.map((lock) => lock.until.getTime())));
        const user = await knownAccount(account);
        await auditSignInRefused(
          db,
          locks.map((lock) => lock.scope),
          { user, client, until },
        );
      }
      throw refused;
    }
    const [row] = await db.select().from(users).where(eq(users.email, account));
    // Verify against a hash either way, so timing does not tell which addresses exist.
    const ok = await verifyPassword(password, row?.passwordHash ?? DUMMY_HASH);
    if (!row || !ok || row.deactivatedAt !== null) {
      const locked = { account: await accounts.fail(account), address: await addresses.fail(client) };
      logger.warn('sign-in failed', { email: account, client });
      for (const scope of SCOPES) {
        const until = locked[scope];
        if (until === undefined) continue;
        logger.warn('sign-in locked', { email: account, client, scope, until });
        await auditSignInLocked(db, scope, { user: row && { id: row.id, email: row.email }, client, until });
      }
      throw new HubError('auth', 'メールアドレスまたはパスワードが正しくありません。');
    }
    await accounts.reset(account);
    if (options.replacing) await end(options.replacing);
    const token = randomBytes(32).toString('base64url');
    const createdAt = now();
    const expiresAt = new Date(createdAt.getTime() + Math.min(limits.idleMs, limits.absoluteMs));
    await db.insert(sessions).values({ tokenHash: hashToken(token), userId: row.id, expiresAt, createdAt });
    logger.info('signed in', { email: account, client });
    const { passwordHash: _, updatedAt: __, ...user } = row;
    return { token, user, expiresAt: new Date(createdAt.getTime() + limits.absoluteMs) };
  }

  return {
    /**
     * Signs in. Failures are throttled per account (whether it exists or not, so the answer does
     * not tell) and per client address, and logged; a lock starting and the first attempt each
     * lock refuses are in the audit log too (sign-in-audit.ts).
     */
    async login(email: string, password: string, options: SignInOptions = {}): Promise<AuthSession> {
      const account = email.trim().toLowerCase();
      const client = options.client ?? 'unknown';
      // Check, verify and count one attempt at a time per account and per address: in parallel,
      // a burst would all pass the check before the first failure is counted. (Always account
      // first, then address: no two attempts wait on each other in a circle.)
      const releases = [await signInLock(`account:${account}`), await signInLock(`address:${client}`)];
      try {
        return await attemptLogin(account, client, password, options);
      } finally {
        for (const release of releases.reverse()) release();
      }
    },
    /**
     * The session's user, or null once it ended: unused for `idleMs`, or `absoluteMs` after
     * sign-in. Each use moves the idle end on — written once it lags a tenth of the idle time (at
     * most a minute) behind, to spare the writes: a session ends at most that much early.
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
            isNull(users.deactivatedAt),
            gt(sessions.createdAt, new Date(at.getTime() - limits.absoluteMs)),
          ),
        );
      if (!row) return null;
      const end = Math.min(at.getTime() + limits.idleMs, row.createdAt.getTime() + limits.absoluteMs);
      if (end - row.expiresAt.getTime() >= touchAfterMs) {
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

// Sign-in locks in the audit log: a lock starting (per account or per client address) and each
// attempt refused while one holds. The actor is `sign-in` (nobody is signed in yet); the account is
// named only when it exists — an address typed into the form that matches no user (it may be a
// password typed in the wrong field) stays in the server log, not in the audit table.
import { recordAudit } from '../audit/audit.ts';
import type { Db } from '../db/adapter.ts';

/** What a sign-in throttle counts on. */
export type SignInScope = 'account' | 'address';

export interface SignInLockEvent {
  /** The account signed in to, when one has the address typed. */
  user: { id: string; email: string } | undefined;
  client: string;
  /** When the lock ends (sign-in is possible again). */
  until: Date;
}

const who = (user: SignInLockEvent['user']) =>
  user ? { target: `user:${user.id}`, details: { email: user.email } } : { details: {} };

/** A failure locked the account or the client address until `until`. */
export async function auditSignInLocked(db: Db, scope: SignInScope, event: SignInLockEvent): Promise<void> {
  const { target, details } = who(event.user);
  await recordAudit(db, {
    actor: 'sign-in',
    action: 'sign_in.locked',
    ...(target ? { target } : {}),
    details: { scope, ...details, client: event.client, until: event.until.toISOString() },
  });
}

/** An attempt refused, unchecked, because `scopes` are locked until `until`. */
export async function auditSignInRefused(
  db: Db,
  scopes: readonly SignInScope[],
  event: SignInLockEvent,
): Promise<void> {
  const { target, details } = who(event.user);
  await recordAudit(db, {
    actor: 'sign-in',
    action: 'sign_in.refused',
    ...(target ? { target } : {}),
    details: { scopes: [...scopes], ...details, client: event.client, until: event.until.toISOString() },
  });
}

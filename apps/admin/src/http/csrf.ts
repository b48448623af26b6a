import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * The per-session CSRF token: an HMAC of the session token, so it needs no storage, survives a
 * restart with the session, and cannot be derived without the HttpOnly cookie.
 */
export function sessionCsrfToken(sessionToken: string): string {
  return createHmac('sha256', sessionToken).update('renkei-csrf-v1').digest('base64url');
}

/** A random token for forms shown before sign-in (double-submit cookie). */
export const randomToken = (): string => randomBytes(32).toString('base64url');

export function tokensEqual(expected: string, given: string | undefined): boolean {
  if (given === undefined) return false;
  const a = Buffer.from(expected);
  const b = Buffer.from(given);
  return a.length === b.length && timingSafeEqual(a, b);
}

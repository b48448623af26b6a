import type { Context, MiddlewareHandler } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { csrf } from 'hono/csrf';
import { csrfFailedPage } from '../views/errors.ts';
import { randomToken, sessionCsrfToken, tokensEqual } from './csrf.ts';
import type { AppEnv } from './env.ts';
import { readForm } from './forms.ts';

export const SESSION_COOKIE = 'renkei_session';
/** Double-submit token for the sign-in form (before a session exists). */
export const LOGIN_CSRF_COOKIE = 'renkei_login_csrf';

export function isSecureRequest(c: Context<AppEnv>): boolean {
  if (new URL(c.req.url).protocol === 'https:') return true;
  return c.get('deps').trustProxy === true && c.req.header('x-forwarded-proto') === 'https';
}

const cookieOptions = (c: Context<AppEnv>) =>
  ({ httpOnly: true, sameSite: 'Lax', path: '/', secure: isSecureRequest(c) }) as const;

export function startSession(c: Context<AppEnv>, token: string, expiresAt: Date): void {
  setCookie(c, SESSION_COOKIE, token, { ...cookieOptions(c), expires: expiresAt });
  deleteCookie(c, LOGIN_CSRF_COOKIE, { path: '/' });
}

export function endSession(c: Context<AppEnv>): void {
  deleteCookie(c, SESSION_COOKIE, { path: '/', secure: isSecureRequest(c) });
}

/** Resolves the signed-in user from the session cookie and derives the CSRF token for forms. */
export const loadSession: MiddlewareHandler<AppEnv> = async (c, next) => {
  const token = getCookie(c, SESSION_COOKIE);
  const session = token ? await c.get('deps').hub.auth.session(token) : null;
  if (token && session) {
    c.set('user', session.user);
    c.set('sessionToken', token);
    c.set('csrfToken', sessionCsrfToken(token));
  } else {
    c.set('user', undefined);
    c.set('sessionToken', undefined);
    let loginToken = getCookie(c, LOGIN_CSRF_COOKIE);
    if (!loginToken) {
      loginToken = randomToken();
      setCookie(c, LOGIN_CSRF_COOKIE, loginToken, cookieOptions(c));
    }
    c.set('csrfToken', loginToken);
  }
  await next();
};

const isSafeMethod = (method: string) => method === 'GET' || method === 'HEAD' || method === 'OPTIONS';

const originCheck = csrf();

/**
 * Every mutating request must come from this origin (Origin / Sec-Fetch-Site) and carry the
 * session's token in `_csrf` (forms) or `X-CSRF-Token` (scripts).
 */
export const verifyCsrf: MiddlewareHandler<AppEnv> = async (c, next) => {
  if (isSafeMethod(c.req.method)) return next();
  // Throws a 403 HTTPException when the request comes from another origin.
  await originCheck(c, async () => {});
  let given = c.req.header('x-csrf-token');
  if (given === undefined) {
    // The body limit has already run: this reads at most what the route allows.
    const field = (await readForm(c))._csrf;
    given = typeof field === 'string' ? field : undefined;
  }
  if (!tokensEqual(c.get('csrfToken'), given)) return c.html(csrfFailedPage(), 403);
  await next();
};

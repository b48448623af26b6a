import type { Context, MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { tooLargePage } from '../views/errors.ts';
import type { AppEnv } from './env.ts';

/** The sign-in form: an address and a password. */
export const SIGN_IN_MAX_BYTES = 16 * 1024;
/** Every other form (settings, selections of a page of employees). */
export const FORM_MAX_BYTES = 256 * 1024;
/** The HR master CSV upload, unless `AppDeps.maxImportBytes` says otherwise. */
export const DEFAULT_IMPORT_MAX_BYTES = 20 * 1024 * 1024;

export const IMPORT_PATH = '/employees/import';

export function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${Math.round((bytes / 1024 / 1024) * 10) / 10} MB`;
  return `${Math.round(bytes / 1024)} KB`;
}

/** The most a request to this route may send. */
export function maxBodyBytes(c: Context<AppEnv>): number {
  const path = c.req.path;
  if (path === '/login') return SIGN_IN_MAX_BYTES;
  // Only a signed-in admin may send the large upload: anyone else would make the server parse
  // megabytes (to find the CSRF token) before it refuses them.
  if (path === IMPORT_PATH && c.get('user')?.role === 'admin') {
    return c.get('deps').maxImportBytes ?? DEFAULT_IMPORT_MAX_BYTES;
  }
  return FORM_MAX_BYTES;
}

/**
 * The sender went away before its body was all sent: Node's `aborted` (ECONNRESET) surfaces from
 * whatever was reading the body — the limit below, a form, a JSON validator, a webhook. It is the
 * client's doing, answered 400 like a malformed body and never logged as a server error.
 */
export function isAbortedBody(error: unknown): boolean {
  return (
    error instanceof Error &&
    error.message === 'aborted' &&
    (error as Error & { code?: unknown }).code === 'ECONNRESET'
  );
}

const limiters = new Map<number, MiddlewareHandler<AppEnv>>();

/**
 * Refuses a body over the route's limit with 413 before anything reads it: a declared
 * Content-Length over the limit is refused unread, a chunked body as soon as it passes the limit.
 */
export const limitBody: MiddlewareHandler<AppEnv> = (c, next) => {
  const max = maxBodyBytes(c);
  let limiter = limiters.get(max);
  if (!limiter) {
    limiter = bodyLimit({
      maxSize: max,
      // Connection: close — the unread rest of the body is not waited for.
      onError: (ctx) => ctx.html(tooLargePage(formatBytes(max)), 413, { connection: 'close' }),
    });
    limiters.set(max, limiter);
  }
  return limiter(c, next);
};

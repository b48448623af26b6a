import type { Context } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { z } from 'zod';
import type { Flash } from '../views/layout.ts';
import type { AppEnv } from './env.ts';
import { isSecureRequest } from './session.ts';

const COOKIE = 'renkei_flash';
const FlashCookie = z.object({ kind: z.enum(['info', 'success', 'error']), message: z.string().max(500) });

/** A one-time message shown on the next page (post → redirect → get). */
export function setFlash(c: Context<AppEnv>, flash: Flash): void {
  setCookie(c, COOKIE, encodeURIComponent(JSON.stringify(flash)), {
    httpOnly: true,
    sameSite: 'Lax',
    path: '/',
    secure: isSecureRequest(c),
    maxAge: 60,
  });
}

export function takeFlash(c: Context<AppEnv>): Flash | undefined {
  const raw = getCookie(c, COOKIE);
  if (raw === undefined) return undefined;
  deleteCookie(c, COOKIE, { path: '/' });
  try {
    const parsed = FlashCookie.safeParse(JSON.parse(decodeURIComponent(raw)));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

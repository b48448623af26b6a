import type { Context } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { z } from 'zod';
import type { Flash } from '../views/layout.ts';
import type { AppEnv } from './env.ts';
import { isSecureRequest } from './session.ts';

const COOKIE = 'renkei_flash';
const MAX_MESSAGE = 300;
const FlashCookie = z.object({
  kind: z.enum(['info', 'success', 'error']),
  message: z.string().max(MAX_MESSAGE),
});

/** A one-time message shown on the next page (post → redirect → get). */
export function setFlash(c: Context<AppEnv>, flash: Flash): void {
  // A cookie holds ≈4 KB and a kanji URI-encodes to 9 bytes: a longer message would be lost whole.
  const message = shorten(flash.message);
  setCookie(c, COOKIE, encodeURIComponent(JSON.stringify({ ...flash, message })), {
    httpOnly: true,
    sameSite: 'Lax',
    path: '/',
    secure: isSecureRequest(c),
    maxAge: 60,
  });
}

/** Cut after the last list separator that fits (never inside 𠮷's surrogate pair), with an ellipsis. */
function shorten(message: string): string {
  if (message.length <= MAX_MESSAGE) return message;
  let head = message.slice(0, MAX_MESSAGE - 1);
  if (/[\uD800-\uDBFF]$/.test(head)) head = head.slice(0, -1);
  const boundary = Math.max(head.lastIndexOf('、'), head.lastIndexOf(', '));
  return `${boundary > MAX_MESSAGE / 2 ? head.slice(0, boundary) : head}…`;
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

import type { IncomingMessage } from 'node:http';
import { isHubError, SignInThrottled } from '@renkei/hub';
import { type Context, Hono } from 'hono';
import { z } from 'zod';
import type { AppEnv } from '../http/env.ts';
import { takeFlash } from '../http/flash.ts';
import { readForm, validateForm } from '../http/forms.ts';
import { endSession, startSession } from '../http/session.ts';
import { loginPage } from '../views/login.ts';

const SELF = 'http://renkei.invalid';

/**
 * Only a local path may follow sign-in (no open redirect). Browsers drop tabs and newlines from
 * URLs and read `\` as `/`, so `/\t/evil.example` would leave the site: such characters are refused,
 * and what is left must resolve to this origin.
 */
const localPath = z
  .string()
  .refine((path) => {
    if (!path.startsWith('/') || /[\\\p{Cc}]/u.test(path)) return false;
    return URL.parse(path, SELF)?.origin === SELF;
  })
  .optional()
  .catch(undefined);

/**
 * The address sign-in failures are counted against: the socket's peer, or behind a trusted reverse
 * proxy the address that proxy appended last to `X-Forwarded-For` (earlier entries are the client's
 * own claim).
 */
function clientAddress(c: Context<AppEnv>): string {
  if (c.get('deps').trustProxy) {
    const forwarded = c.req.header('x-forwarded-for')?.split(',').at(-1)?.trim();
    if (forwarded) return forwarded;
  }
  const incoming = (c.env as { incoming?: IncomingMessage } | undefined)?.incoming;
  return incoming?.socket?.remoteAddress ?? 'unknown';
}

const untilFormat = new Intl.DateTimeFormat('ja-JP', {
  timeZone: 'Asia/Tokyo',
  month: 'numeric',
  day: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
});

function throttledMessage(error: SignInThrottled): string {
  const until = untilFormat.format(error.until);
  return error.locked
    ? `ログインの失敗が続いたため、一時的にログインできなくなっています。${until} 以降にもう一度お試しください。`
    : `ログインの失敗が続いています。${until} 以降にもう一度お試しください。`;
}

const LoginForm = z.object({
  email: z
    .string()
    .trim()
    .min(1, 'メールアドレスを入力してください。')
    .pipe(z.email('メールアドレスの形式が正しくありません。')),
  password: z.string().min(1, 'パスワードを入力してください。'),
  next: localPath,
});

export const authRoutes = new Hono<AppEnv>()
  .get('/login', (c) => {
    if (c.get('user')) return c.redirect('/');
    return c.html(
      loginPage({
        csrfToken: c.get('csrfToken'),
        next: localPath.parse(c.req.query('next')),
        flash: takeFlash(c),
        demoLogins: [...(c.get('deps').demoLogins ?? [])],
      }),
    );
  })
  .post('/login', async (c) => {
    const raw = await readForm(c);
    const form = validateForm(LoginForm, raw);
    const rerender = (errors: Record<string, string>, status: 400 | 401 | 429) =>
      c.html(
        loginPage({
          csrfToken: c.get('csrfToken'),
          values: { email: typeof raw.email === 'string' ? raw.email : '' },
          errors,
          next: localPath.parse(raw.next),
          demoLogins: [...(c.get('deps').demoLogins ?? [])],
        }),
        status,
      );
    if (!form.ok) return rerender(form.errors, 400);
    try {
      // Signing in again ends the session this browser held, not only replaces its cookie.
      const replacing = c.get('sessionToken');
      const session = await c.get('deps').hub.auth.login(form.data.email, form.data.password, {
        client: clientAddress(c),
        ...(replacing ? { replacing } : {}),
      });
      startSession(c, session.token, session.expiresAt);
      return c.redirect(form.data.next ?? '/');
    } catch (error) {
      if (error instanceof SignInThrottled) {
        return rerender({ _form: throttledMessage(error) }, 429);
      }
      if (isHubError(error, 'auth')) {
        return rerender({ _form: 'メールアドレスまたはパスワードが正しくありません。' }, 401);
      }
      throw error;
    }
  })
  .post('/logout', async (c) => {
    const token = c.get('sessionToken');
    if (token) await c.get('deps').hub.auth.logout(token);
    endSession(c);
    return c.redirect('/login');
  });

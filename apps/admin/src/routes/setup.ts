import { isHubError } from '@renkei/hub';
import { Hono } from 'hono';
import { z } from 'zod';
import type { AppEnv } from '../http/env.ts';
import { echoValues, readForm, validateForm } from '../http/forms.ts';
import { startSession } from '../http/session.ts';
import { UserFields } from '../http/user-fields.ts';
import { setupInvalidPage, setupPage } from '../views/setup.ts';

const Token = z.string().min(1).max(200);
const SetupForm = UserFields.extend({ token: Token });

/**
 * The one-time set-up page (`/setup?token=…`, printed by `renkei serve` while no user exists): it
 * creates the first admin and signs them in. The token rides in the query, never in a logged path.
 */
export const setupRoutes = new Hono<AppEnv>()
  .get('/setup', async (c) => {
    const token = Token.safeParse(c.req.query('token'));
    if (!token.success || !(await c.get('deps').hub.setup.isValid(token.data))) {
      return c.html(setupInvalidPage(), 404);
    }
    return c.html(setupPage({ csrfToken: c.get('csrfToken'), token: token.data }));
  })
  .post('/setup', async (c) => {
    const raw = await readForm(c);
    const form = validateForm(SetupForm, raw);
    const token = typeof raw.token === 'string' ? raw.token.slice(0, 200) : '';
    const values = echoValues(raw);
    delete values.password;
    if (!form.ok) {
      if (form.errors.token) return c.html(setupInvalidPage(), 404);
      return c.html(setupPage({ csrfToken: c.get('csrfToken'), token, values, errors: form.errors }), 400);
    }
    const { hub } = c.get('deps');
    try {
      await hub.setup.complete(form.data.token, form.data);
    } catch (error) {
      if (isHubError(error, 'auth') || isHubError(error, 'conflict')) return c.html(setupInvalidPage(), 410);
      if (!isHubError(error, 'validation')) throw error;
      const errors: Record<string, string> = {};
      for (const issue of error.issues) errors[String(issue.field)] ??= issue.message;
      return c.html(setupPage({ csrfToken: c.get('csrfToken'), token, values, errors }), 400);
    }
    const session = await hub.auth.login(form.data.email, form.data.password);
    startSession(c, session.token, session.expiresAt);
    return c.redirect('/users');
  });

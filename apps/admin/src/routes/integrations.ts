// APIトークン and Webhook pages (admins only). A new token or signing secret is rendered once in
// the answer to the POST that made it (no-store), never stored in the clear, never in a redirect.
import { type HubError, isHubError } from '@renkei/hub';
import { type Context, Hono } from 'hono';
import { z } from 'zod';
import type { AppEnv } from '../http/env.ts';
import { setFlash } from '../http/flash.ts';
import { echoValues, type FormErrors, queryPage, readForm, validateForm } from '../http/forms.ts';
import { chrome, currentUser, requireAdmin } from '../http/guard.ts';
import { notFoundPage } from '../views/errors.ts';
import { apiTokensPage, webhooksPage } from '../views/integrations.ts';

const DELIVERY_PAGE_SIZE = 20;

const TokenForm = z.object({
  name: z.string().trim().min(1, '名前を入力してください。').max(100, '名前は100文字以内にしてください。'),
  userId: z.uuid('ユーザーを選択してください。'),
  scope: z.enum(['read', 'sync'], { error: '権限を選択してください。' }),
  expiresAt: z
    .string()
    .trim()
    .refine(
      (value) => value === '' || /^\d{4}-\d{2}-\d{2}$/.test(value),
      '日付を YYYY-MM-DD で入力してください。',
    )
    .optional(),
});

const WebhookForm = z.object({
  url: z.string().trim().min(1, 'URLを入力してください。').max(2000, 'URLが長すぎます。'),
  connectionId: z.union([z.literal(''), z.uuid()]).optional(),
  description: z.string().trim().max(200, 'メモは200文字以内にしてください。').optional(),
});

function hubErrors(error: HubError): FormErrors {
  const errors: FormErrors = {};
  for (const issue of error.issues) errors[String(issue.field)] ??= issue.message;
  if (Object.keys(errors).length === 0) errors._form = error.message;
  return errors;
}

async function tokensPage(
  c: Context<AppEnv>,
  extra: { issued?: string; values?: Record<string, string>; errors?: FormErrors } = {},
) {
  const { hub } = c.get('deps');
  const user = currentUser(c);
  return apiTokensPage({
    chrome: await chrome(c),
    tokens: await hub.apiTokens.list(user.id),
    users: await hub.users.list(),
    now: Date.now(),
    selfId: user.id,
    ...extra,
  });
}

async function hooksPage(
  c: Context<AppEnv>,
  extra: { created?: string; values?: Record<string, string>; errors?: FormErrors } = {},
) {
  const { hub } = c.get('deps');
  const actor = currentUser(c).id;
  const page = queryPage(c);
  const deliveries = await hub.webhooks.deliveries(actor, { page, pageSize: DELIVERY_PAGE_SIZE });
  return webhooksPage({
    chrome: await chrome(c),
    endpoints: await hub.webhooks.list(actor),
    connections: await hub.connections.list(),
    deliveries: deliveries.items,
    deliveryTotal: deliveries.total,
    page,
    pageSize: DELIVERY_PAGE_SIZE,
    ...extra,
  });
}

/** `YYYY-MM-DD` as the start of that day in Japan. */
const tokyoMidnight = (date: string) => new Date(`${date}T00:00:00+09:00`);

export const integrationRoutes = new Hono<AppEnv>()
  .use('/api-tokens', requireAdmin)
  .use('/api-tokens/*', requireAdmin)
  .use('/outgoing-webhooks', requireAdmin)
  .use('/outgoing-webhooks/*', requireAdmin)
  .get('/api-tokens', async (c) => c.html(await tokensPage(c)))
  .post('/api-tokens', async (c) => {
    const raw = await readForm(c);
    const form = validateForm(TokenForm, raw);
    if (!form.ok) return c.html(await tokensPage(c, { values: form.values, errors: form.errors }), 400);
    try {
      const issued = await c.get('deps').hub.apiTokens.create(currentUser(c).id, {
        name: form.data.name,
        userId: form.data.userId,
        scope: form.data.scope,
        ...(form.data.expiresAt ? { expiresAt: tokyoMidnight(form.data.expiresAt) } : {}),
      });
      return c.html(await tokensPage(c, { issued: issued.token }), 201);
    } catch (error) {
      if (!isHubError(error, 'validation')) throw error;
      return c.html(await tokensPage(c, { values: echoValues(raw), errors: hubErrors(error) }), 400);
    }
  })
  .post('/api-tokens/:id/revoke', async (c) => {
    try {
      const token = await c.get('deps').hub.apiTokens.revoke(currentUser(c).id, c.req.param('id'));
      setFlash(c, { kind: 'success', message: `トークン「${token.name}」を失効させました。` });
      return c.redirect('/api-tokens');
    } catch (error) {
      if (!isHubError(error, 'not_found')) throw error;
      return c.html(notFoundPage(await chrome(c)), 404);
    }
  })
  .get('/outgoing-webhooks', async (c) => c.html(await hooksPage(c)))
  .post('/outgoing-webhooks', async (c) => {
    const raw = await readForm(c);
    const form = validateForm(WebhookForm, raw);
    if (!form.ok) return c.html(await hooksPage(c, { values: form.values, errors: form.errors }), 400);
    try {
      const created = await c.get('deps').hub.webhooks.create(currentUser(c).id, {
        url: form.data.url,
        connectionId: form.data.connectionId || null,
        description: form.data.description ?? '',
      });
      return c.html(await hooksPage(c, { created: created.secret }), 201);
    } catch (error) {
      if (!isHubError(error, 'validation')) throw error;
      return c.html(await hooksPage(c, { values: echoValues(raw), errors: hubErrors(error) }), 400);
    }
  })
  .post('/outgoing-webhooks/:id/delete', async (c) => {
    try {
      await c.get('deps').hub.webhooks.remove(currentUser(c).id, c.req.param('id'));
      setFlash(c, { kind: 'success', message: 'Webhookの送信先を削除しました。' });
      return c.redirect('/outgoing-webhooks');
    } catch (error) {
      if (!isHubError(error, 'not_found')) throw error;
      return c.html(notFoundPage(await chrome(c)), 404);
    }
  });

import { type AnyCredentialsSchema, type ConnectorDefinition, describeCredentials } from '@renkei/core';
import { type Connection, checkFailureMessage, isHubError } from '@renkei/hub';
import { type Context, Hono } from 'hono';
import { z } from 'zod';
import type { AppEnv } from '../http/env.ts';
import { setFlash } from '../http/flash.ts';
import { type FormErrors, type FormValues, readForm, validateForm } from '../http/forms.ts';
import { chrome, currentUser, isAdmin, requireAdmin } from '../http/guard.ts';
import { type ConnectionSettingsProps, connectionSettingsPage, connectorsPage } from '../views/connectors.ts';
import { notFoundPage } from '../views/errors.ts';

const SettingsMeta = z.object({
  displayName: z
    .string()
    .trim()
    .min(1, '表示名を入力してください。')
    .max(100, '100文字以内で入力してください。'),
  intent: z.enum(['test', 'save']).catch('save'),
  /** Absent where the connector carries no OrgRef (no choice shown): the stored setting stays. */
  orgRefMatch: z.enum(['code', 'name'], { error: '部署・雇用形態・役職の照合を選んでください。' }).optional(),
  /** Absent where the connector is not written 姓/名 from the 従業員リスト: the stored setting stays. */
  namePreference: z.enum(['legal', 'business'], { error: '書き込む氏名を選んでください。' }).optional(),
});

function findConnector(c: Context<AppEnv>, id: string): ConnectorDefinition | undefined {
  return c.get('deps').connectors.find((connector) => connector.id === id);
}

/**
 * The connector's own credentials schema validates the form. When editing, a blank field keeps
 * the stored value, so stored keys become optional and blanks are dropped.
 */
function credentialsSchema(
  schema: AnyCredentialsSchema,
  storedKeys: readonly string[],
): AnyCredentialsSchema {
  const optional = Object.fromEntries(
    storedKeys.filter((key) => key in schema.shape).map((key) => [key, true as const]),
  );
  const relaxed = storedKeys.length > 0 ? schema.partial(optional) : schema;
  return z.preprocess((raw) => {
    if (typeof raw !== 'object' || raw === null) return raw;
    return Object.fromEntries(
      Object.entries(raw).filter(([key, value]) => !(storedKeys.includes(key) && value === '')),
    );
  }, relaxed) as unknown as AnyCredentialsSchema;
}

/**
 * What an edit sends the hub: only the values the admin filled in. Parsing fills a blank 環境 or
 * データセンター with the schema's default, which must not replace the stored choice.
 */
function filledIn(data: Record<string, unknown>, input: FormValues): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(data).filter(([key]) => input[key] !== undefined && input[key] !== ''),
  );
}

/** Non-secret values to refill the form; secrets are never sent back. */
function echoNonSecret(schema: AnyCredentialsSchema, values: FormValues): FormValues {
  const secret = new Set(
    describeCredentials(schema)
      .filter((info) => info.secret)
      .map((info) => info.key),
  );
  return Object.fromEntries(Object.entries(values).filter(([key]) => !secret.has(key)));
}

/**
 * The vendor's own lists for the settings that name its masters (新規登録時のメイングループ…), by
 * credentials key. The vendor is asked live; when it cannot answer, the form falls back to text inputs.
 */
async function vendorChoices(c: Context<AppEnv>, connectionId: string) {
  try {
    const defaults = await c.get('deps').hub.connections.newEmployeeDefaults(connectionId);
    return Object.fromEntries(defaults.map((setting) => [setting.key, setting]));
  } catch {
    return undefined;
  }
}

async function handleSettings(
  c: Context<AppEnv>,
  connector: ConnectorDefinition,
  connection: Connection | undefined,
) {
  const { hub } = c.get('deps');
  const actor = currentUser(c).id;
  const raw = await readForm(c);
  const meta = validateForm(SettingsMeta, raw);
  const credentialKeys = describeCredentials(connector.credentials).map((info) => info.key);
  const credentialInput = Object.fromEntries(
    credentialKeys.flatMap((key) => (typeof raw[key] === 'string' ? [[key, raw[key]]] : [])),
  );
  const credentials = validateForm(
    credentialsSchema(connector.credentials, connection?.credentialKeys ?? []),
    credentialInput,
  );
  const errors: FormErrors = {
    ...(meta.ok ? {} : meta.errors),
    ...(credentials.ok ? {} : credentials.errors),
  };
  const displayName = typeof raw.displayName === 'string' ? raw.displayName : '';
  const values = echoNonSecret(connector.credentials, { displayName, ...credentialInput });
  if (typeof raw.orgRefMatch === 'string') values.orgRefMatch = raw.orgRefMatch;
  if (typeof raw.namePreference === 'string') values.namePreference = raw.namePreference;
  const render = async (status: 200 | 400 | 422, extra: Partial<ConnectionSettingsProps> = {}) =>
    c.html(
      connectionSettingsPage(await chrome(c), {
        connector,
        connection,
        credentialFields: describeCredentials(connector.credentials),
        values,
        errors,
        ...extra,
      }),
      status,
    );
  if (!meta.ok || !credentials.ok) return render(400);
  const given = connection ? filledIn(credentials.data, credentialInput) : credentials.data;

  if (meta.data.intent === 'test') {
    const result = await hub.connections.test(actor, {
      connectorId: connector.id,
      credentials: given,
      ...(connection ? { connectionId: connection.id } : {}),
    });
    return render(result.ok ? 200 : 422, {
      testResult: result.ok
        ? { ok: true }
        : { ok: false, message: checkFailureMessage(connector.displayName, result.error.message) },
    });
  }
  try {
    const saved = connection
      ? await hub.connections.update(actor, connection.id, {
          displayName: meta.data.displayName,
          credentials: given,
          ...(meta.data.orgRefMatch ? { orgRefMatch: meta.data.orgRefMatch } : {}),
          ...(meta.data.namePreference ? { namePreference: meta.data.namePreference } : {}),
        })
      : await hub.connections.create(actor, {
          connectorId: connector.id,
          displayName: meta.data.displayName,
          credentials: given,
          ...(meta.data.orgRefMatch ? { orgRefMatch: meta.data.orgRefMatch } : {}),
          ...(meta.data.namePreference ? { namePreference: meta.data.namePreference } : {}),
        });
    setFlash(c, { kind: 'success', message: `${saved.displayName}の連携設定を保存しました。` });
    return c.redirect(`/connections/${saved.id}`);
  } catch (error) {
    if (!isHubError(error)) throw error;
    if (error.kind !== 'check_failed' && error.kind !== 'validation') throw error;
    errors._form = error.message;
    for (const issue of error.issues) errors[String(issue.field)] ??= issue.message;
    return render(422);
  }
}

export const connectorRoutes = new Hono<AppEnv>()
  .get('/connectors', async (c) => {
    const { hub } = c.get('deps');
    const [connectors, connections] = await Promise.all([hub.connectors.list(), hub.connections.list()]);
    const cards = connectors
      .filter((connector) => connector.id !== 'hr')
      .map((connector) => ({
        ...connector,
        description: findConnector(c, connector.id)?.description,
        connections: connections.filter((connection) => connection.connectorId === connector.id),
      }));
    return c.html(connectorsPage(await chrome(c), { connectors: cards, canInstall: isAdmin(c) }));
  })
  .get('/connectors/:id/install', requireAdmin, async (c) => {
    const connector = findConnector(c, c.req.param('id'));
    if (!connector) return c.html(notFoundPage(await chrome(c)), 404);
    return c.html(
      connectionSettingsPage(await chrome(c), {
        connector,
        credentialFields: describeCredentials(connector.credentials),
        values: {},
        errors: {},
      }),
    );
  })
  .post('/connectors/:id/install', requireAdmin, async (c) => {
    const connector = findConnector(c, c.req.param('id'));
    if (!connector) return c.html(notFoundPage(await chrome(c)), 404);
    return handleSettings(c, connector, undefined);
  })
  .get('/connections/:id/settings', requireAdmin, async (c) => {
    const connection = await c.get('deps').hub.connections.get(c.req.param('id'));
    const connector = connection && findConnector(c, connection.connectorId);
    if (!connection || !connector) return c.html(notFoundPage(await chrome(c)), 404);
    return c.html(
      connectionSettingsPage(await chrome(c), {
        connector,
        connection,
        choices: await vendorChoices(c, connection.id),
        credentialFields: describeCredentials(connector.credentials),
        values: { displayName: connection.displayName },
        errors: {},
      }),
    );
  })
  .post('/connections/:id/settings', requireAdmin, async (c) => {
    const connection = await c.get('deps').hub.connections.get(c.req.param('id'));
    const connector = connection && findConnector(c, connection.connectorId);
    if (!connection || !connector) return c.html(notFoundPage(await chrome(c)), 404);
    return handleSettings(c, connector, connection);
  });

import { type FieldKey, SyncMode } from '@renkei/core';
import {
  DEFAULT_MAX_CHANGE_PERCENT,
  type DirectionPolicy,
  isHubError,
  policyFields,
  policyFor,
  type Schedule,
  type SchedulePreset,
} from '@renkei/hub';
import { type Context, Hono } from 'hono';
import { z } from 'zod';
import type { AppEnv } from '../http/env.ts';
import { setFlash } from '../http/flash.ts';
import { GARBLED_MESSAGE, hasGarbledField, readForm } from '../http/forms.ts';
import { chrome, currentUser, requireAdmin } from '../http/guard.ts';
import { policyPage, type ScheduleFormValues, schedulesPage } from '../views/automation.ts';
import { notFoundPage } from '../views/errors.ts';

type Direction = 'import' | 'export';
const DIRECTIONS: readonly Direction[] = ['import', 'export'];
const DirectionParam = z.enum(['import', 'export']);
const RecordScope = z.enum(['all', 'new_only', 'existing_only']).catch('all');

async function loadConnection(c: Context<AppEnv>) {
  const connection = await c.get('deps').hub.connections.get(c.req.param('id') ?? '');
  const connector = connection
    ? c.get('deps').connectors.find((candidate) => candidate.id === connection.connectorId)
    : undefined;
  return connection && connector ? { connection, connector } : undefined;
}

const text = (value: unknown): string => (typeof value === 'string' ? value : '');

/** The 同期ルール form as the hub's SyncPolicy (unknown modes are refused by the hub). */
function policyFromForm(
  form: Record<string, unknown>,
  fields: Parameters<typeof policyFields>[0],
): Record<Direction, DirectionPolicy> {
  const policy = {} as Record<Direction, DirectionPolicy>;
  for (const direction of DIRECTIONS) {
    const modes: Partial<Record<FieldKey, SyncMode>> = {};
    for (const key of policyFields(fields, direction)) {
      const mode = SyncMode.safeParse(form[`${direction}.${key}`]);
      if (mode.success && mode.data !== 'update') modes[key] = mode.data;
    }
    policy[direction] = { modes, records: RecordScope.parse(form[`${direction}.records`]) };
  }
  return policy;
}

function scheduleValues(schedule: Schedule | undefined): ScheduleFormValues {
  const [minute = '0', hour = '6'] = schedule?.cron.split(' ') ?? [];
  return {
    preset: schedule?.preset ?? 'daily',
    hour: schedule?.preset === 'hourly' ? '6' : hour,
    minute,
    cron: schedule?.preset === 'custom' ? schedule.cron : '',
    maxChangePercent: String(schedule?.maxChangePercent ?? DEFAULT_MAX_CHANGE_PERCENT),
    enabled: schedule?.enabled ?? true,
  };
}

async function renderSchedules(
  c: Context<AppEnv>,
  loaded: NonNullable<Awaited<ReturnType<typeof loadConnection>>>,
  extra: {
    values?: Partial<Record<Direction, ScheduleFormValues>>;
    errors?: Partial<Record<Direction, string>>;
    newToken?: string;
    tokenError?: string;
  } = {},
  status: 200 | 400 | 422 = 200,
) {
  const { automation } = c.get('deps').hub;
  const [schedules, tokens] = await Promise.all([
    automation.schedules.list(loaded.connection.id),
    automation.tokens.list(loaded.connection.id),
  ]);
  const byDirection = Object.fromEntries(
    DIRECTIONS.map((direction) => {
      const schedule = schedules.find((candidate) => candidate.direction === direction);
      return [
        direction,
        {
          ...(schedule ? { schedule } : {}),
          nextRuns: schedule ? automation.schedules.nextRuns(schedule.cron, 3) : [],
        },
      ];
    }),
  );
  const values = Object.fromEntries(
    DIRECTIONS.map((direction) => [
      direction,
      extra.values?.[direction] ??
        scheduleValues(schedules.find((candidate) => candidate.direction === direction)),
    ]),
  ) as Record<Direction, ScheduleFormValues>;
  return c.html(
    schedulesPage(await chrome(c), {
      connection: loaded.connection,
      schedules: byDirection,
      values,
      errors: extra.errors ?? {},
      tokens,
      newToken: extra.newToken,
      tokenError: extra.tokenError,
    }),
    status,
  );
}

/** 同期ルール, スケジュール and incoming trigger tokens of a connection (admins only). */
export const automationRoutes = new Hono<AppEnv>()
  .get('/connections/:id/policy', requireAdmin, async (c) => {
    const loaded = await loadConnection(c);
    if (!loaded) return c.html(notFoundPage(await chrome(c)), 404);
    const policy = {
      import: policyFor(loaded.connection, 'import'),
      export: policyFor(loaded.connection, 'export'),
    };
    return c.html(
      policyPage(await chrome(c), { connection: loaded.connection, fields: loaded.connector.fields, policy }),
    );
  })
  .post('/connections/:id/policy', requireAdmin, async (c) => {
    const loaded = await loadConnection(c);
    if (!loaded) return c.html(notFoundPage(await chrome(c)), 404);
    const policy = policyFromForm(await readForm(c), loaded.connector.fields);
    try {
      await c.get('deps').hub.connections.setPolicy(currentUser(c).id, loaded.connection.id, policy);
    } catch (error) {
      if (!isHubError(error, 'validation')) throw error;
      return c.html(
        policyPage(await chrome(c), {
          connection: loaded.connection,
          fields: loaded.connector.fields,
          policy,
          error: error.message,
        }),
        422,
      );
    }
    setFlash(c, { kind: 'success', message: '同期ルールを保存しました。' });
    return c.redirect(`/connections/${loaded.connection.id}`);
  })
  .get('/connections/:id/schedules', requireAdmin, async (c) => {
    const loaded = await loadConnection(c);
    if (!loaded) return c.html(notFoundPage(await chrome(c)), 404);
    return renderSchedules(c, loaded);
  })
  .post('/connections/:id/schedules/:direction', requireAdmin, async (c) => {
    const loaded = await loadConnection(c);
    const direction = DirectionParam.safeParse(c.req.param('direction'));
    if (!loaded || !direction.success) return c.html(notFoundPage(await chrome(c)), 404);
    const form = await readForm(c);
    const preset = z
      .enum(['daily', 'weekdays', 'hourly', 'custom'])
      .catch('daily')
      .parse(form.preset) as SchedulePreset;
    const values: ScheduleFormValues = {
      preset,
      hour: text(form.hour).trim() || '6',
      minute: text(form.minute).trim() || '0',
      cron: text(form.cron).trim(),
      maxChangePercent: text(form.maxChangePercent).trim() || String(DEFAULT_MAX_CHANGE_PERCENT),
      enabled: form.enabled === '1',
    };
    if (hasGarbledField(form)) {
      return renderSchedules(
        c,
        loaded,
        { values: { [direction.data]: values }, errors: { [direction.data]: GARBLED_MESSAGE } },
        400,
      );
    }
    try {
      await c.get('deps').hub.automation.schedules.save(currentUser(c).id, loaded.connection.id, {
        direction: direction.data,
        preset,
        hour: values.hour,
        minute: values.minute,
        cron: values.cron,
        maxChangePercent: values.maxChangePercent,
        enabled: values.enabled,
      });
    } catch (error) {
      if (!isHubError(error, 'validation')) throw error;
      return renderSchedules(
        c,
        loaded,
        { values: { [direction.data]: values }, errors: { [direction.data]: error.message } },
        422,
      );
    }
    setFlash(c, { kind: 'success', message: 'スケジュールを保存しました。' });
    return c.redirect(`/connections/${loaded.connection.id}/schedules`);
  })
  .post('/connections/:id/schedules/:direction/run', requireAdmin, async (c) => {
    const loaded = await loadConnection(c);
    const direction = DirectionParam.safeParse(c.req.param('direction'));
    if (!loaded || !direction.success) return c.html(notFoundPage(await chrome(c)), 404);
    const { automation } = c.get('deps').hub;
    const schedule = (await automation.schedules.list(loaded.connection.id)).find(
      (candidate) => candidate.direction === direction.data,
    );
    if (!schedule) return c.html(notFoundPage(await chrome(c)), 404);
    await automation.schedules.fireNow(currentUser(c).id, schedule.id);
    setFlash(c, {
      kind: 'success',
      message: '自動同期を開始しました。結果は連携履歴の「自動同期の記録」に表示されます。',
    });
    return c.redirect(`/connections/${loaded.connection.id}`);
  })
  .post('/connections/:id/schedules/:direction/delete', requireAdmin, async (c) => {
    const loaded = await loadConnection(c);
    const direction = DirectionParam.safeParse(c.req.param('direction'));
    if (!loaded || !direction.success) return c.html(notFoundPage(await chrome(c)), 404);
    const { automation } = c.get('deps').hub;
    const schedule = (await automation.schedules.list(loaded.connection.id)).find(
      (candidate) => candidate.direction === direction.data,
    );
    if (schedule) await automation.schedules.remove(currentUser(c).id, schedule.id);
    setFlash(c, { kind: 'success', message: 'スケジュールを削除しました。' });
    return c.redirect(`/connections/${loaded.connection.id}/schedules`);
  })
  .post('/connections/:id/tokens', requireAdmin, async (c) => {
    const loaded = await loadConnection(c);
    if (!loaded) return c.html(notFoundPage(await chrome(c)), 404);
    const form = await readForm(c);
    if (hasGarbledField(form)) return renderSchedules(c, loaded, { tokenError: GARBLED_MESSAGE }, 400);
    try {
      const { token } = await c
        .get('deps')
        .hub.automation.tokens.create(currentUser(c).id, loaded.connection.id, {
          name: text(form.name),
          direction: text(form.direction),
        });
      // Shown on this response only: the page is not cached (no-store) and the hub keeps a hash.
      return renderSchedules(c, loaded, { newToken: token });
    } catch (error) {
      if (!isHubError(error, 'validation')) throw error;
      return renderSchedules(c, loaded, { tokenError: error.message }, 422);
    }
  })
  .post('/connections/:id/tokens/:token/revoke', requireAdmin, async (c) => {
    const loaded = await loadConnection(c);
    if (!loaded) return c.html(notFoundPage(await chrome(c)), 404);
    try {
      await c.get('deps').hub.automation.tokens.revoke(currentUser(c).id, c.req.param('token'));
    } catch (error) {
      if (!isHubError(error, 'not_found')) throw error;
    }
    setFlash(c, { kind: 'success', message: 'トークンを無効にしました。' });
    return c.redirect(`/connections/${loaded.connection.id}/schedules`);
  });

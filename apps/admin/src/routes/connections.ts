import {
  type DataAreaChoice,
  dataAreaChoices,
  defaultDataArea,
  isConnectorError,
  isWriting,
  normaliseDate,
  type PlanEntry,
  type PlanStatus,
  PlanStatus as PlanStatusSchema,
} from '@renkei/core';
import { defaultExportEmployment, type EntryFilter, isHubError, type Selection } from '@renkei/hub';
import { type Context, Hono } from 'hono';
import { z } from 'zod';
import type { AppEnv } from '../http/env.ts';
import { setFlash } from '../http/flash.ts';
import { GARBLED_MESSAGE, isGarbledField, queryPage, type RawForm, readForm } from '../http/forms.ts';
import { chrome, currentUser, isAdmin, requireAdmin } from '../http/guard.ts';
import { connectionsPage, dashboardPage } from '../views/dashboard.ts';
import { notFoundPage } from '../views/errors.ts';
import {
  areaStepPage,
  confirmPage,
  DELIBERATE_STATUSES as DELIBERATE,
  type EmploymentChoice,
  pickerPage,
  SELECT_ALL_STATUSES,
  type SelectionState,
  selectionQuery,
} from '../views/wizard.ts';

const HISTORY_PAGE_SIZE = 20;
const PICKER_PAGE_SIZE = 50;
const CONFIRM_PAGE_SIZE = 50;

const Direction = z.enum(['import', 'export']);

const PICKER_ERRORS: Record<string, string> = {
  empty: '同期する従業員を選択してください。',
  invalid: '選択された従業員の一部は、エラーまたは重複のため同期できません。選択を見直してください。',
};

function connectorOf(c: Context<AppEnv>, connectorId: string) {
  return c.get('deps').connectors.find((connector) => connector.id === connectorId);
}

async function loadConnection(c: Context<AppEnv>, id: string) {
  const connection = await c.get('deps').hub.connections.get(id);
  const connector = connection ? connectorOf(c, connection.connectorId) : undefined;
  return connection && connector ? { connection, connector } : undefined;
}

const messageOf = (error: unknown): string | undefined =>
  isHubError(error) || isConnectorError(error) ? error.message : undefined;

/** The picker's selection from the query string or a submitted form. */
function readSelection(
  get: (key: string) => string | undefined,
  getAll: (key: string) => string[],
): SelectionState {
  const status = PlanStatusSchema.optional()
    .catch(undefined)
    .parse(get('status') || undefined);
  return {
    all: get('all') === '1',
    status,
    search: get('search')?.trim() ?? '',
    codes: [...new Set(getAll('code').filter((code) => code !== ''))],
  };
}

const querySelection = (c: Context<AppEnv>) =>
  readSelection(
    (key) => c.req.query(key),
    (key) => c.req.queries(key) ?? [],
  );

/**
 * The hub's selection: explicit 社員番号, or every entry matching the filter that writes something
 * (差分なし entries are no-ops, so "all" never drags thousands of them into a run). `undefined`
 * when nothing would be written.
 */
function toSelection(selection: SelectionState): Selection | undefined {
  if (!selection.all) return selection.codes.length > 0 ? { codes: selection.codes } : undefined;
  const filter = writingFilter(selection);
  return filter ? { all: filter } : undefined;
}

/** The entries of the filter that write something; `undefined` when the filter holds none. */
function writingFilter(selection: SelectionState): EntryFilter | undefined {
  const status = SELECT_ALL_STATUSES.filter(
    (candidate) => !selection.status || candidate === selection.status,
  );
  if (status.length === 0) return undefined;
  return { status, ...(selection.search ? { search: selection.search } : {}) };
}

const BASIS_DATE_ERROR = '情報取得基準日を正しい日付（例: 2026-04-01）で入力してください。';
/** Longer than any notation of a date the normaliser reads (令和８年１２月３１日 and the like). */
const BASIS_DATE_MAX_LENGTH = 32;

/**
 * 在籍者のみ and 情報取得基準日 as submitted: a form without the box unticks it; an empty date is
 * today in Japan (the page says so). Anything else must be a date, or it is the field's error — a
 * garbled value is never read as empty, so never becomes today unseen.
 */
function employmentChoice(form: RawForm, today: string): { choice: EmploymentChoice; error?: string } {
  const activeOnly = form.activeOnly === '1';
  if (isGarbledField(form, 'basisDate'))
    return { choice: { activeOnly, basisDate: '' }, error: GARBLED_MESSAGE };
  const raw = form.basisDate ?? '';
  if (typeof raw !== 'string') return { choice: { activeOnly, basisDate: '' }, error: BASIS_DATE_ERROR };
  const text = raw.trim();
  if (text === '') return { choice: { activeOnly, basisDate: today } };
  const read = text.length <= BASIS_DATE_MAX_LENGTH ? normaliseDate(text) : undefined;
  if (!read?.ok || typeof read.value !== 'string') {
    return { choice: { activeOnly, basisDate: text }, error: BASIS_DATE_ERROR };
  }
  return { choice: { activeOnly, basisDate: read.value } };
}

async function loadPreview(c: Context<AppEnv>) {
  const preview = await c.get('deps').hub.previews.get(c.req.param('id') ?? '');
  const loaded = preview ? await loadConnection(c, preview.connectionId) : undefined;
  if (!preview || !loaded) return undefined;
  const areaNames = await c.get('lookups').areaNames(loaded.connection.id, loaded.connector.hasDataAreas);
  const context = {
    connection: loaded.connection,
    direction: preview.direction,
    hasDataAreas: loaded.connector.hasDataAreas,
  };
  return { preview, ...loaded, context, dataAreaName: areaNames.get(preview.dataArea) ?? preview.dataArea };
}

export const connectionRoutes = new Hono<AppEnv>()
  .get('/connections', async (c) => {
    const { hub } = c.get('deps');
    const connections = await Promise.all(
      (await hub.connections.list()).map(async (connection) => ({
        ...connection,
        connectorName: connectorOf(c, connection.connectorId)?.displayName ?? connection.connectorId,
        lastRun: (await hub.runs.history(connection.id, { pageSize: 1 })).items[0],
      })),
    );
    return c.html(connectionsPage(await chrome(c), { connections, canInstall: isAdmin(c) }));
  })
  .get('/connections/:id', async (c) => {
    const loaded = await loadConnection(c, c.req.param('id'));
    if (!loaded) return c.html(notFoundPage(await chrome(c)), 404);
    const page = queryPage(c);
    const lookups = c.get('lookups');
    const [history, userNames, areaNames, automatic] = await Promise.all([
      c.get('deps').hub.runs.history(loaded.connection.id, { page, pageSize: HISTORY_PAGE_SIZE }),
      lookups.userNames(),
      lookups.areaNames(loaded.connection.id, loaded.connector.hasDataAreas),
      c.get('deps').hub.automation.history(loaded.connection.id, { pageSize: 10 }),
    ]);
    return c.html(
      dashboardPage(await chrome(c), {
        automaticSyncs: automatic.items,
        connection: { ...loaded.connection, connectorName: loaded.connector.displayName },
        runs: history.items,
        page,
        pageSize: HISTORY_PAGE_SIZE,
        total: history.total,
        canRun: isAdmin(c),
        hasDataAreas: loaded.connector.hasDataAreas,
        userNames,
        areaNames,
      }),
    );
  })
  .get('/connections/:id/sync/:direction', requireAdmin, async (c) => {
    const loaded = await loadConnection(c, c.req.param('id'));
    const direction = Direction.safeParse(c.req.param('direction'));
    if (!loaded || !direction.success) return c.html(notFoundPage(await chrome(c)), 404);
    const props = {
      connection: loaded.connection,
      direction: direction.data,
      hasDataAreas: loaded.connector.hasDataAreas,
      // The default automatic exports use too (one place decides it).
      employment: defaultExportEmployment(c.get('deps').hub.today()),
    };
    if (!loaded.connector.hasDataAreas) return c.html(areaStepPage(await chrome(c), { ...props, areas: [] }));
    try {
      const { hub } = c.get('deps');
      const areas = await c.get('lookups').dataAreas(loaded.connection.id);
      const today = hub.today();
      // `?area=` is the admin's own choice (the picker links back with it); else the current year.
      const asked = areas.find((area) => area.id === c.req.query('area'))?.id;
      const selected =
        asked ?? defaultDataArea(areas, { today, preferred: loaded.connection.defaultDataArea });
      return c.html(
        areaStepPage(await chrome(c), {
          ...props,
          areas: dataAreaChoices(areas, today),
          selected,
          olderConfirmed: asked !== undefined && c.req.query('older') === '1',
        }),
      );
    } catch (error) {
      const message = messageOf(error);
      if (!message) throw error;
      return c.html(
        areaStepPage(await chrome(c), {
          ...props,
          areas: [],
          error: `データ領域を取得できませんでした: ${message}`,
        }),
        502,
      );
    }
  })
  .post('/connections/:id/sync/:direction', requireAdmin, async (c) => {
    const loaded = await loadConnection(c, c.req.param('id'));
    const direction = Direction.safeParse(c.req.param('direction'));
    if (!loaded || !direction.success) return c.html(notFoundPage(await chrome(c)), 404);
    const { connection, connector } = loaded;
    const form = await readForm(c);
    const employment = employmentChoice(form, c.get('deps').hub.today());
    // Only exports have the field (an import compares everyone), and only 在籍者のみ reads it.
    const basisDateError =
      direction.data === 'export' && employment.choice.activeOnly ? employment.error : undefined;
    const props = {
      connection,
      direction: direction.data,
      hasDataAreas: connector.hasDataAreas,
      employment: employment.choice,
      basisDateError,
    };
    let dataArea: string | undefined;
    let choices: DataAreaChoice[] = [];
    const olderConfirmed = form.confirmOlder === '1';
    // Shown again after a refusal: the admin's choice stays ticked, whatever the default.
    const again = async (error: string | undefined) =>
      areaStepPage(await chrome(c), { ...props, areas: choices, selected: dataArea, olderConfirmed, error });
    try {
      if (connector.hasDataAreas) {
        const areas = await c.get('lookups').dataAreas(connection.id);
        choices = dataAreaChoices(areas, c.get('deps').hub.today());
        const chosen = z
          .enum(areas.map((area) => area.id) as [string, ...string[]], {
            error: 'データ領域を選択してください。',
          })
          .safeParse(form.dataArea);
        if (chosen.success) dataArea = chosen.data;
        if (!chosen.success || basisDateError) {
          return c.html(await again(chosen.success ? undefined : chosen.error.issues[0]?.message), 400);
        }
        const older = choices.find((choice) => choice.area.id === dataArea)?.older;
        if (older && !olderConfirmed) {
          return c.html(
            await again(
              '前年度以前のデータ領域が選ばれています。この年度を使う場合は「前年度以前のデータ領域を使います」にチェックしてください。',
            ),
            400,
          );
        }
      }
      if (basisDateError) return c.html(await again(undefined), 400);
      const preview = await c.get('deps').hub.previews.create(currentUser(c).id, {
        connectionId: connection.id,
        direction: direction.data,
        ...(dataArea ? { dataArea } : {}),
        ...(direction.data === 'export' && employment.choice.activeOnly
          ? { employedOn: employment.choice.basisDate }
          : {}),
      });
      return c.redirect(`/previews/${preview.id}`);
    } catch (error) {
      const message = messageOf(error);
      if (!message) throw error;
      return c.html(await again(message), 422);
    }
  })
  .get('/previews/:id', requireAdmin, async (c) => {
    const loaded = await loadPreview(c);
    if (!loaded) return c.html(notFoundPage(await chrome(c)), 404);
    const selection = querySelection(c);
    const page = queryPage(c);
    const { previews } = c.get('deps').hub;
    const writing = writingFilter(selection);
    const [entries, writable] = await Promise.all([
      previews.entries(loaded.preview.id, {
        ...(selection.status ? { status: selection.status } : {}),
        ...(selection.search ? { search: selection.search } : {}),
        page,
        pageSize: PICKER_PAGE_SIZE,
      }),
      writing ? previews.entries(loaded.preview.id, { ...writing, pageSize: 1 }) : undefined,
    ]);
    return c.html(
      pickerPage(await chrome(c), {
        ...loaded.context,
        previewId: loaded.preview.id,
        dataArea: loaded.preview.dataArea,
        dataAreaName: loaded.dataAreaName,
        employmentFilter: loaded.preview.employmentFilter,
        newEmployeeDefaults: loaded.preview.newEmployeeDefaults,
        summary: loaded.preview.summary,
        entries: entries.items,
        total: entries.total,
        writable: writable?.total ?? 0,
        page,
        pageSize: PICKER_PAGE_SIZE,
        selection,
        error: PICKER_ERRORS[c.req.query('error') ?? ''],
      }),
    );
  })
  .get('/previews/:id/confirm', requireAdmin, async (c) => {
    const loaded = await loadPreview(c);
    if (!loaded) return c.html(notFoundPage(await chrome(c)), 404);
    const selection = querySelection(c);
    if (!selection.all && selection.codes.length === 0) {
      return c.redirect(`/previews/${loaded.preview.id}?${selectionQuery(selection, { error: 'empty' })}`);
    }
    const page = queryPage(c);
    const hubSelection = toSelection(selection);
    let selected: PlanEntry[] = [];
    try {
      if (hubSelection) selected = await c.get('deps').hub.previews.select(loaded.preview.id, hubSelection);
    } catch (error) {
      if (!isHubError(error, 'validation')) throw error;
      return c.redirect(`/previews/${loaded.preview.id}?${selectionQuery(selection, { error: 'invalid' })}`);
    }
    // What the run will take (the hub leaves 差分なし out): the dialog counts exactly that.
    const writing = selected.filter(isWriting);
    const mismatches = selected.filter((entry) => DELIBERATE.includes(entry.status));
    const count = (status: PlanStatus) => selected.filter((entry) => entry.status === status).length;
    return c.html(
      confirmPage(await chrome(c), {
        ...loaded.context,
        previewId: loaded.preview.id,
        dataAreaName: loaded.dataAreaName,
        selection,
        entries: writing.slice((page - 1) * CONFIRM_PAGE_SIZE, page * CONFIRM_PAGE_SIZE),
        mismatches,
        total: writing.length + mismatches.length,
        counts: { new: count('new'), changed: count('changed'), identity_mismatch: mismatches.length },
        businessName: loaded.preview.businessName,
        policy: loaded.preview.policy,
        unchanged: count('unchanged'),
        page,
        pageSize: CONFIRM_PAGE_SIZE,
      }),
    );
  })
  .post('/previews/:id/runs', requireAdmin, async (c) => {
    const loaded = await loadPreview(c);
    if (!loaded) return c.html(notFoundPage(await chrome(c)), 404);
    const form = await readForm(c);
    const selection = readSelection(
      (key) => (typeof form[key] === 'string' ? (form[key] as string) : undefined),
      (key) => [form[key] ?? []].flat().filter((value): value is string => typeof value === 'string'),
    );
    const hubSelection = toSelection(selection);
    if (!hubSelection) return c.redirect(`/previews/${loaded.preview.id}?error=empty`);
    try {
      const run = await c.get('deps').hub.runs.start(currentUser(c).id, {
        previewId: loaded.preview.id,
        selection: hubSelection,
        // The second confirmation of each 別人の可能性 employee; the hub refuses one without it.
        confirmedMismatches: [form.confirmMismatch ?? []]
          .flat()
          .filter((value): value is string => typeof value === 'string'),
      });
      setFlash(c, {
        kind: 'success',
        message: `同期を開始しました（${run.total} 名）。進捗は連携履歴に表示されます。`,
      });
    } catch (error) {
      const message = messageOf(error);
      if (!message) throw error;
      setFlash(c, { kind: 'error', message });
      // A spent preview or a busy connection: back to the wizard's start, which takes a new one.
      if (isHubError(error, 'conflict')) {
        const again = `/connections/${loaded.connection.id}/sync/${loaded.preview.direction}`;
        return c.redirect(
          loaded.connector.hasDataAreas
            ? `${again}?${new URLSearchParams({ area: loaded.preview.dataArea, older: '1' })}`
            : again,
        );
      }
      // An unconfirmed 別人の可能性: back to 確認, where each is confirmed.
      if (selection.codes.length > 0 && isHubError(error, 'validation') && message.includes('別人の可能性')) {
        return c.redirect(`/previews/${loaded.preview.id}/confirm?${selectionQuery(selection)}`);
      }
      return c.redirect(`/previews/${loaded.preview.id}?${selectionQuery(selection)}`);
    }
    return c.redirect(`/connections/${loaded.connection.id}`);
  });

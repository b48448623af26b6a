import {
  type ConnectorDefinition,
  type ConnectorSession,
  createPlanner,
  defaultDataArea,
  IMPLICIT_DATA_AREA,
  isEmployedOn,
  type ListedEmployee,
  type Logger,
  normaliseDate,
  type Plan,
  type PlanEntry,
  type PlanStatus,
  plannedWrites,
  tokyoDate,
  withBusinessName,
  withRefusals,
} from '@renkei/core';
import { and, asc, count, eq, inArray, like, type SQL, sql } from 'drizzle-orm';
import { applyRecordScope, policyFor } from '../automation/policy.ts';
import type { Connections } from '../connections/connections.ts';
import { type ContextSources, connectorContext } from '../context.ts';
import type { Db } from '../db/adapter.ts';
import { previewEntries, previews } from '../db/schema.ts';
import { createHrConnector } from '../employees/hr-connector.ts';
import { containsPattern, foldForSearch } from '../employees/record.ts';
import type { EmployeeStore } from '../employees/store.ts';
import { HubError } from '../errors.ts';
import type { PreviewRequest } from '../hub-api.ts';
import { listSome } from '../listing.ts';
import { type Page, type PageRequest, pageOf } from '../paging.ts';
import { isUuid } from '../validation.ts';

/**
 * 在籍者のみ as the wizard preselects it and automatic exports apply it: on, with today (Japan) as
 * the 情報取得基準日. The one default both use.
 */
export function defaultExportEmployment(today: string): { activeOnly: boolean; basisDate: string } {
  return { activeOnly: true, basisDate: today };
}

/** `import`: the external system → HR master; `export`: HR master → the external system. */
export type Direction = 'import' | 'export';

export type Preview = typeof previews.$inferSelect;

export interface EntryFilter {
  status?: PlanStatus | readonly PlanStatus[];
  /** 社員番号 or name (width, case, kana folded). */
  search?: string;
}

/**
 * What a run writes: explicit 社員番号, or every selectable entry matching a filter — except
 * 別人の可能性 entries, which only explicit 社員番号 select (and a run writes only once confirmed).
 */
export type Selection = { codes: readonly string[] } | { all: EntryFilter };

type EntryRow = typeof previewEntries.$inferSelect;

const toEntry = (row: EntryRow): PlanEntry => ({
  employeeCode: row.employeeCode,
  ...(row.targetEmployeeCode ? { targetEmployeeCode: row.targetEmployeeCode } : {}),
  status: row.status,
  ...(row.name ? { name: row.name } : {}),
  changes: row.changes,
  issues: row.issues,
  fingerprint: row.fingerprint,
  selectable: row.selectable,
  ...(row.identity ? { identity: row.identity } : {}),
});

/**
 * Every record of an area that `accept` keeps. `accept` sees each record as its page arrives, so
 * work done there (planning) runs while the vendor is still paging.
 */
async function collect(
  session: ConnectorSession,
  area: string,
  accept: (record: ListedEmployee) => ListedEmployee | undefined,
): Promise<ListedEmployee[]> {
  const listed: ListedEmployee[] = [];
  for await (const record of session.listEmployees(area)) {
    const kept = accept(record);
    if (kept) listed.push(kept);
  }
  return listed;
}

const preferBusinessName = (record: ListedEmployee): ListedEmployee =>
  record.ok ? { ok: true, employee: withBusinessName(record.employee) } : record;

/** Each record's フリガナ by folded 社員番号: plan entries carry no kana, the picker searches it. */
function kanaByCode(...sides: readonly ListedEmployee[][]): Map<string, string[]> {
  const kana = new Map<string, string[]>();
  for (const records of sides) {
    for (const record of records) {
      if (!record.ok) continue;
      const { employeeCode, lastNameKana = '', firstNameKana = '' } = record.employee;
      if (!lastNameKana && !firstNameKana) continue;
      const code = foldForSearch(employeeCode);
      kana.set(code, [...(kana.get(code) ?? []), lastNameKana + firstNameKana]);
    }
  }
  return kana;
}

/** What the picker's search matches: 社員番号, 姓名 and both sides' フリガナ, folded. */
function entrySearchText(entry: PlanEntry, kana: ReadonlyMap<string, string[]>): string {
  const codes = [entry.employeeCode, entry.targetEmployeeCode ?? entry.employeeCode].map(foldForSearch);
  const kanaNames = [...new Set(codes.flatMap((code) => kana.get(code) ?? []))];
  return [entry.employeeCode, entry.name ?? '', ...kanaNames].map(foldForSearch).join('\n');
}

function filterWhere(previewId: string, filter: EntryFilter): SQL | undefined {
  const statuses = filter.status === undefined ? [] : ([] as PlanStatus[]).concat(filter.status);
  const folded = filter.search ? foldForSearch(filter.search) : '';
  return and(
    eq(previewEntries.previewId, previewId),
    statuses.length > 0 ? inArray(previewEntries.status, statuses) : undefined,
    folded ? like(previewEntries.searchText, containsPattern(folded)) : undefined,
  );
}

/** Entries per insert statement (one JSON parameter each). */
const INSERT_CHUNK = 5_000;

/** A 情報取得基準日 as `YYYY-MM-DD` (any notation the date normaliser reads), or a validation error. */
function basisDateOf(value: string): string {
  const read = normaliseDate(value);
  if (!read.ok || read.value === undefined) {
    throw new HubError('validation', '情報取得基準日を正しい日付（例: 2026-04-01）で入力してください。');
  }
  return read.value as string;
}

/** Previews: a plan between the HR master and a connection, stored entry by entry for the picker. */
export function createPreviews(deps: {
  db: Db;
  store: EmployeeStore;
  connections: Connections;
  sources: ContextSources;
  requireAdmin(actor: string): Promise<unknown>;
}) {
  const { db } = deps;

  async function get(id: string): Promise<Preview | null> {
    if (!isUuid(id)) return null;
    const [row] = await db.select().from(previews).where(eq(previews.id, id));
    return row ?? null;
  }

  async function require(id: string): Promise<Preview> {
    const preview = await get(id);
    if (!preview)
      throw new HubError('not_found', 'プレビューが見つかりません。もう一度差分を取得してください。');
    return preview;
  }

  return {
    get,
    require,
    async create(actor: string, input: PreviewRequest): Promise<Preview> {
      await deps.requireAdmin(actor);
      if (input.direction !== 'import' && input.direction !== 'export') {
        throw new HubError('validation', '連携の方向が正しくありません。');
      }
      const basisDate = input.employedOn === undefined ? undefined : basisDateOf(input.employedOn);
      const hr = createHrConnector(deps.store, `user:${actor}`);
      const hrSession = await hr.connect({}, connectorContext(deps.sources));
      // The vendor's session (a PCA licence) is opened last: nothing fails between it and `finally`.
      const external = await deps.connections.openSession(input.connectionId);
      try {
        const areas = await external.session.listDataAreas();
        // Unnamed: the current 処理年度 of the configured area's company, never last year's by default.
        const area =
          input.dataArea ??
          (external.definition.hasDataAreas
            ? defaultDataArea(areas, {
                today: tokyoDate(deps.sources.clock.now()),
                preferred: external.connection.defaultDataArea,
              })
            : IMPLICIT_DATA_AREA.id);
        if (!area) throw new HubError('validation', 'データ領域を選択してください。');
        const listedArea = areas.find((candidate) => candidate.id === area);
        if (!listedArea) {
          throw new HubError(
            'validation',
            `データ領域「${area}」は${external.definition.displayName}にありません。`,
          );
        }
        const importing = input.direction === 'import';
        // 在籍者のみ narrows what is written (exports); retirees stay choosable with it turned off.
        const narrowed = !importing && basisDate !== undefined;
        // ビジネスネーム優先 (exports): the name compared, checked and written is the one the target gets.
        const businessName = !importing && external.connection.namePreference === 'business';
        // The external area decides how 社員番号 match (PCA areas that zero-pad: 00123 = 123).
        const codeKey = external.session.employeeCodeKey?.(area);
        const externalFields = external.definition.fields;
        // 同期ルール: the engine applies the field modes; the record scope then holds entries back.
        const policy = policyFor(external.connection, input.direction);
        // Planned as the records arrive: each pair is diffed while the vendor is still paging.
        const planner = createPlanner(
          importing ? externalFields : hr.fields,
          importing ? hr.fields : externalFields,
          {
            modes: policy.modes,
            orgRefMatch: external.connection.orgRefMatch,
            ...(codeKey ? { codeKey } : {}),
          },
        );
        let excluded = 0;
        const listExternal = () =>
          collect(external.session, area, (record) => {
            if (importing) planner.addSource(record);
            else planner.addTarget(record);
            return record;
          });
        const listHr = () =>
          collect(hrSession, IMPLICIT_DATA_AREA.id, (listed) => {
            if (narrowed && listed.ok && !isEmployedOn(listed.employee, basisDate)) {
              excluded++;
              return undefined;
            }
            const record = businessName ? preferBusinessName(listed) : listed;
            if (importing) planner.addTarget(record);
            else planner.addSource(record);
            return record;
          });
        // A vendor's 社員番号 rule (PCA's 桁数 and ０詰め) is read with its first page: with one, the
        // HR side may only be planned after the vendor's listing has begun — list the vendor first.
        const [externalListed, hrListed] = codeKey
          ? [await listExternal(), await listHr()]
          : await Promise.all([listExternal(), listHr()]);
        const result = applyRecordScope(planner.finish(), policy.records);
        const checked = importing
          ? result
          : await withTargetRefusals(
              result,
              external.session,
              area,
              external.definition,
              deps.sources.logger,
            );
        const defaults = importing
          ? undefined
          : await newEmployeeDefaults(external.session, deps.sources.logger);
        return await save(
          actor,
          {
            connectionId: input.connectionId,
            direction: input.direction,
            dataArea: area,
            dataAreaName: external.definition.hasDataAreas ? listedArea.name : null,
            employmentFilter: narrowed ? { basisDate, excluded } : null,
            businessName,
            newEmployeeDefaults: defaults?.length ? defaults : null,
            policy,
          },
          checked,
          kanaByCode(externalListed, hrListed),
        );
      } finally {
        await Promise.all([external.session.close().catch(() => {}), hrSession.close()]);
      }
    },
    async entries(id: string, request: PageRequest & EntryFilter = {}): Promise<Page<PlanEntry>> {
      const where = filterWhere(id, request);
      return pageOf(request, async (limit, offset) => {
        const [rows, [total]] = await Promise.all([
          db
            .select()
            .from(previewEntries)
            .where(where)
            .orderBy(asc(previewEntries.seq))
            .limit(limit)
            .offset(offset),
          db.select({ n: count() }).from(previewEntries).where(where),
        ]);
        return { items: rows.map(toEntry), total: total?.n ?? 0 };
      });
    },
    /** The selectable entries a selection names, in plan order (the confirmation dialog, a run). */
    async select(id: string, selection: Selection): Promise<PlanEntry[]> {
      const where =
        'codes' in selection
          ? and(eq(previewEntries.previewId, id), inArray(previewEntries.employeeCode, [...selection.codes]))
          : filterWhere(id, selection.all);
      const rows = await db.select().from(previewEntries).where(where).orderBy(asc(previewEntries.seq));
      if ('codes' in selection) {
        const found = new Set(rows.map((row) => row.employeeCode));
        const unknown = selection.codes.filter((code) => !found.has(code));
        const refused = rows.filter((row) => !row.selectable).map((row) => row.employeeCode);
        if (unknown.length > 0) {
          throw new HubError(
            'validation',
            `プレビューにない社員番号が選択されています: ${listSome(unknown, ', ')}`,
          );
        }
        if (refused.length > 0) {
          throw new HubError(
            'validation',
            `エラーまたは重複のため連携できない社員番号があります: ${listSome(refused, ', ')}`,
          );
        }
      }
      return rows
        .filter((row) => row.selectable && ('codes' in selection || row.status !== 'identity_mismatch'))
        .map(toEntry);
    },
    /** The plan a run applies, holding only the named entries. */
    async planFor(id: string, codes: readonly string[]): Promise<Plan> {
      const preview = await require(id);
      const rows = await db
        .select()
        .from(previewEntries)
        .where(and(eq(previewEntries.previewId, id), inArray(previewEntries.employeeCode, [...codes])))
        .orderBy(asc(previewEntries.seq));
      return {
        version: 1,
        fields: preview.fields,
        modes: preview.modes as Plan['modes'],
        entries: rows.map(toEntry),
        targetOnlyCodes: preview.targetOnlyCodes,
        summary: preview.summary,
      };
    },
  };

  async function save(
    actor: string,
    header: Pick<
      Preview,
      | 'connectionId'
      | 'direction'
      | 'dataArea'
      | 'dataAreaName'
      | 'employmentFilter'
      | 'newEmployeeDefaults'
      | 'businessName'
      | 'policy'
    >,
    result: Plan,
    kana: ReadonlyMap<string, string[]>,
  ) {
    return db.transaction(async (tx) => {
      const [preview] = await tx
        .insert(previews)
        .values({
          ...header,
          fields: result.fields,
          modes: result.modes,
          summary: result.summary,
          targetOnlyCodes: result.targetOnlyCodes,
          createdBy: actor,
        })
        .returning();
      const id = (preview as Preview).id;
      for (let i = 0; i < result.entries.length; i += INSERT_CHUNK) {
        const rows = result.entries.slice(i, i + INSERT_CHUNK).map((entry, offset) => ({
          seq: i + offset,
          employee_code: entry.employeeCode,
          target_employee_code: entry.targetEmployeeCode ?? null,
          status: entry.status,
          name: entry.name ?? null,
          search_text: entrySearchText(entry, kana),
          changes: entry.changes,
          issues: entry.issues,
          fingerprint: entry.fingerprint,
          selectable: entry.selectable,
          identity: entry.identity ?? null,
        }));
        // One JSON parameter per chunk: the database unpacks the rows, so thousands of entries cost
        // one statement and one parameter instead of twelve parameters each.
        await tx.execute(sql`
          insert into ${previewEntries} (preview_id, seq, employee_code, target_employee_code, status, name,
            search_text, changes, issues, fingerprint, selectable, identity)
          select ${id}::uuid, seq, employee_code, target_employee_code, status, name, search_text,
            changes, issues, fingerprint, selectable, identity
          from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) as entry(seq integer,
            employee_code text, target_employee_code text, status text, name text, search_text text,
            changes jsonb, issues jsonb, fingerprint text, selectable boolean, identity jsonb)`);
      }
      return preview as Preview;
    });
  }
}

export type Previews = ReturnType<typeof createPreviews>;

/**
 * The values the connection gives new employees (shown in the preview); advice like the refusals:
 * when the vendor cannot say, the preview goes on without them.
 */
async function newEmployeeDefaults(session: ConnectorSession, logger: Logger) {
  if (!session.newEmployeeDefaults) return undefined;
  try {
    return (await session.newEmployeeDefaults()).flatMap((setting) =>
      setting.valueLabel ? [{ label: setting.label, value: setting.valueLabel }] : [],
    );
  } catch (error) {
    logger.warn('preview: the defaults for new employees could not be read', { error: String(error) });
    return undefined;
  }
}

/**
 * The plan with the entries the target would refuse (PCA's 性別 男/女 only, a 部署 missing from its
 * master…) made invalid, so the admin sees why before ticking them. The check is advice: when it
 * fails, the preview goes on without it and the run still refuses those employees one by one.
 */
async function withTargetRefusals(
  result: Plan,
  session: ConnectorSession,
  area: string,
  definition: ConnectorDefinition,
  logger: Logger,
): Promise<Plan> {
  if (!session.checkWrites) return result;
  try {
    const checks = await session.checkWrites(area, plannedWrites(result, definition.fields));
    return withRefusals(result, checks, { targetName: definition.displayName });
  } catch (error) {
    logger.warn('preview: the target could not check the writes up front', { error: String(error) });
    return result;
  }
}

// The JSON shapes the CLI (--json) and the HTTP API (/api/v1) emit and take, as zod schemas: the
// TypeScript types, the OpenAPI document and `renkei schema` all derive from these.
import { z } from '@hono/zod-openapi';
import { PlanEntry as CorePlanEntry, Employee, PlanStatus, PlanSummary } from '@renkei/core';
import {
  API_TOKEN_SCOPES,
  type Connection,
  type EmployeeRecord,
  type Page,
  type Preview,
  RUN_OUTCOMES,
  RUN_STATUSES,
  type Run,
  type RunItem,
} from '@renkei/hub';

const IsoDate = z.string().openapi({ format: 'date-time', example: '2026-04-01T06:00:00.000Z' });
const iso = (date: Date | null): string | null => date?.toISOString() ?? null;

export const Direction = z.enum(['import', 'export']).openapi({
  description: 'import: 連携先 → 社員名簿, export: 社員名簿 → 連携先',
});

export const ErrorBody = z
  .object({
    error: z.object({
      kind: z.string().openapi({ example: 'validation' }),
      message: z.string(),
      issues: z.array(z.object({ field: z.string(), message: z.string() })).optional(),
    }),
  })
  .openapi('Error');
export type ErrorBody = z.infer<typeof ErrorBody>;

export const ConnectionJson = z
  .object({
    id: z.uuid(),
    connectorId: z.string(),
    displayName: z.string(),
    defaultDataArea: z.string().nullable(),
    createdAt: IsoDate,
    updatedAt: IsoDate,
  })
  .openapi('Connection');
export type ConnectionJson = z.infer<typeof ConnectionJson>;

export const connectionJson = (connection: Connection): ConnectionJson => ({
  id: connection.id,
  connectorId: connection.connectorId,
  displayName: connection.displayName,
  defaultDataArea: connection.defaultDataArea,
  createdAt: connection.createdAt.toISOString(),
  updatedAt: connection.updatedAt.toISOString(),
});

export const PreviewJson = z
  .object({
    id: z.uuid(),
    connectionId: z.uuid(),
    direction: Direction,
    dataArea: z.string(),
    dataAreaName: z.string().nullable(),
    summary: PlanSummary,
    /** 在籍者のみ: the 情報取得基準日 and how many HR employees it left out; null when off. */
    employmentFilter: z.object({ basisDate: z.string(), excluded: z.number().int() }).nullable(),
    createdAt: IsoDate,
  })
  .openapi('Preview');
export type PreviewJson = z.infer<typeof PreviewJson>;

export const previewJson = (preview: Preview): PreviewJson => ({
  id: preview.id,
  connectionId: preview.connectionId,
  direction: preview.direction,
  dataArea: preview.dataArea,
  dataAreaName: preview.dataAreaName,
  summary: preview.summary,
  employmentFilter: preview.employmentFilter,
  createdAt: preview.createdAt.toISOString(),
});

// Core's schemas were built before this module extended zod: re-wrapped here to carry a name.
export const PlanEntry = z.object(CorePlanEntry.shape).openapi('PlanEntry');
export { PlanStatus };

export const RunStatus = z.enum(RUN_STATUSES);
export const RunOutcome = z.enum(RUN_OUTCOMES);

export const RunJson = z
  .object({
    id: z.uuid(),
    connectionId: z.uuid(),
    previewId: z.uuid(),
    direction: Direction,
    dataArea: z.string(),
    status: RunStatus,
    total: z.number().int(),
    counts: z.record(RunOutcome, z.number().int()),
    retryOf: z.uuid().nullable(),
    createdAt: IsoDate,
    startedAt: IsoDate.nullable(),
    finishedAt: IsoDate.nullable(),
    cancelRequestedAt: IsoDate.nullable(),
  })
  .openapi('Run');
export type RunJson = z.infer<typeof RunJson>;

export const runJson = (run: Run): RunJson => ({
  id: run.id,
  connectionId: run.connectionId,
  previewId: run.previewId,
  direction: run.direction,
  dataArea: run.dataArea,
  status: run.status,
  total: run.total,
  counts: run.counts,
  retryOf: run.retryOf,
  createdAt: run.createdAt.toISOString(),
  startedAt: iso(run.startedAt),
  finishedAt: iso(run.finishedAt),
  cancelRequestedAt: iso(run.cancelRequestedAt),
});

export const RunItemJson = z
  .object({
    employeeCode: z.string(),
    outcome: RunOutcome,
    /** Why nothing was written, or the target's refusal. */
    message: z.string().nullable(),
  })
  .openapi('RunItem');
export type RunItemJson = z.infer<typeof RunItemJson>;

export const runItemJson = (item: RunItem): RunItemJson => ({
  employeeCode: item.employeeCode,
  outcome: item.outcome,
  message: item.message ?? item.error?.message ?? null,
});

/** The HR master's schema (what 社員名簿 validates), without the 社員番号 the path names. */
const EmployeeSchema = z.object(Employee.shape).openapi('Employee');
export const EmployeeInput = z
  .object(Employee.shape)
  .omit({ employeeCode: true })
  .strict()
  .openapi('EmployeeInput');

export const EmployeeJson = z
  .object({
    employee: EmployeeSchema,
    createdAt: IsoDate,
    updatedAt: IsoDate,
  })
  .openapi('EmployeeRecord');
export type EmployeeJson = z.infer<typeof EmployeeJson>;

export const employeeJson = (record: EmployeeRecord, employee: Record<string, unknown>): EmployeeJson => ({
  employee: employee as EmployeeJson['employee'],
  createdAt: record.createdAt.toISOString(),
  updatedAt: record.updatedAt.toISOString(),
});

export function pageSchema<T extends z.ZodType>(item: T, name: string) {
  return z
    .object({
      items: z.array(item),
      total: z.number().int(),
      page: z.number().int(),
      pageSize: z.number().int(),
    })
    .openapi(name);
}

export const pageJson = <T, U>(page: Page<T>, map: (item: T) => U) => ({
  items: page.items.map(map),
  total: page.total,
  page: page.page,
  pageSize: page.pageSize,
});

export const TokenScope = z.enum(API_TOKEN_SCOPES);

/** `renkei plan --out`: the stored preview a later `renkei apply` starts from, and what it showed. */
export const PlanDocument = z
  .object({
    kind: z.literal('renkei.plan'),
    version: z.literal(1),
    preview: PreviewJson,
    connection: z.object({ id: z.uuid(), displayName: z.string(), connectorId: z.string() }),
    /** Whether applying would write anything (the exit code of `renkei plan`: 2 when true). */
    hasChanges: z.boolean(),
    entries: z.array(PlanEntry),
  })
  .openapi('PlanDocument');
export type PlanDocument = z.infer<typeof PlanDocument>;

/** `renkei apply --json`: the run as it ended (or as queued with --no-wait). */
export const ApplyResult = z
  .object({
    kind: z.literal('renkei.apply'),
    version: z.literal(1),
    run: RunJson.nullable(),
    /** Failed, stale, unconfirmed or skipped employees (社員番号 and why). */
    failures: z.array(RunItemJson),
  })
  .openapi('ApplyResult');
export type ApplyResult = z.infer<typeof ApplyResult>;

export const RunsList = z
  .object({
    kind: z.literal('renkei.runs'),
    version: z.literal(1),
    runs: z.array(RunJson.extend({ connectionName: z.string() })),
  })
  .openapi('RunsList');
export type RunsList = z.infer<typeof RunsList>;

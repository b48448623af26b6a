// `renkei plan | apply | runs | schema`: the wizard's plan and run for scripts. Nothing here prompts;
// --json prints the documents of automation/schemas.ts (`renkei schema <name>` prints their JSON
// Schema). Exit codes follow `terraform plan -detailed-exitcode`: plan 0 = no changes, 2 = changes,
// 1 = error (a usage error too, so it never reads as "changes"); apply 0 = written, 1 = refused or
// error, 3 = the run ended with failures (or was cancelled).
import { readFile, writeFile } from 'node:fs/promises';
import { isConnectorError } from '@renkei/core';
import { type Hub, HubError, isHubError, type Run } from '@renkei/hub';
import { z } from 'zod';
import {
  ApplyResult,
  connectionJson,
  PlanDocument,
  previewJson,
  type RunItemJson,
  RunsList,
  runItemJson,
  runJson,
} from '../automation/schemas.ts';
import { allEntries, createPlan, findConnection, hasChanges, startFromPreview } from '../automation/sync.ts';
import { formatApply, formatPlan, formatRuns } from './format.ts';

export const EXIT = { ok: 0, error: 1, changes: 2, failures: 3 } as const;

export interface Io {
  out(text: string): void;
  err(text: string): void;
}

/** Who the command acts as: `--as`, else RENKEI_CLI_USER, else the only active admin. */
export async function actingAdmin(hub: Hub, email: string | undefined): Promise<string> {
  const admins = (await hub.users.list()).filter(
    (user) => user.role === 'admin' && user.deactivatedAt === null,
  );
  if (email) {
    const user = admins.find((candidate) => candidate.email.toLowerCase() === email.toLowerCase());
    if (!user) throw new HubError('validation', `有効な管理者 ${email} が見つかりません。`);
    return user.id;
  }
  if (admins.length === 1) return (admins[0] as (typeof admins)[number]).id;
  throw new HubError(
    'validation',
    admins.length === 0
      ? '有効な管理者がいません。'
      : '管理者が複数います。--as <メールアドレス>（または RENKEI_CLI_USER）で実行者を指定してください。',
  );
}

/** The message of a refusal the user can act on; anything else is rethrown. */
function refusal(error: unknown): string {
  if (isHubError(error)) {
    return [error.message, ...error.issues.map((issue) => `  ${String(issue.field)}: ${issue.message}`)].join(
      '\n',
    );
  }
  if (isConnectorError(error)) return `連携先との通信に失敗しました: ${error.message}`;
  throw error;
}

export interface PlanArgs {
  connection: string;
  direction: 'import' | 'export';
  area?: string | undefined;
  older?: boolean | undefined;
  allEmployees?: boolean | undefined;
  basisDate?: string | undefined;
  json?: boolean | undefined;
  out?: string | undefined;
  as?: string | undefined;
}

export async function planCommand(hub: Hub, args: PlanArgs, io: Io): Promise<number> {
  let document: PlanDocument;
  try {
    const actor = await actingAdmin(hub, args.as);
    const connection = await findConnection(hub, args.connection);
    const preview = await createPlan(hub, actor, {
      connection,
      direction: args.direction,
      dataArea: args.area,
      allowOlderArea: args.older,
      activeOnly: !args.allEmployees,
      basisDate: args.basisDate,
    });
    const entries = await allEntries(hub, preview.id);
    const { id, displayName, connectorId } = connectionJson(connection);
    document = PlanDocument.parse({
      kind: 'renkei.plan',
      version: 1,
      preview: previewJson(preview),
      connection: { id, displayName, connectorId },
      hasChanges: hasChanges(entries),
      entries,
    });
  } catch (error) {
    io.err(refusal(error));
    return EXIT.error;
  }
  const json = JSON.stringify(document, null, 2);
  if (args.out) await writeFile(args.out, `${json}\n`, { mode: 0o600 });
  io.out(args.json ? json : formatPlan(document));
  return document.hasChanges ? EXIT.changes : EXIT.ok;
}

export interface ApplyArgs {
  file: string;
  confirmMismatch?: string[] | undefined;
  noWait?: boolean | undefined;
  json?: boolean | undefined;
  as?: string | undefined;
}

async function readPlan(file: string): Promise<PlanDocument> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    throw new HubError('validation', `プランファイル ${file} を読めません。`);
  }
  try {
    return PlanDocument.parse(JSON.parse(text));
  } catch {
    throw new HubError('validation', `${file} は renkei plan --out が書いたプランではありません。`);
  }
}

async function runEnded(hub: Hub, runId: string): Promise<Run> {
  let last: Run | null = await hub.runs.get(runId);
  for await (const run of hub.runs.watch(runId)) last = run;
  return last as Run;
}

async function failuresOf(hub: Hub, runId: string): Promise<RunItemJson[]> {
  const page = await hub.runs.items(runId, {
    outcome: ['failed', 'stale', 'ambiguous', 'skipped'],
    pageSize: 500,
  });
  return page.items.map(runItemJson);
}

export async function applyCommand(hub: Hub, args: ApplyArgs, io: Io): Promise<number> {
  let result: ApplyResult;
  try {
    const plan = await readPlan(args.file);
    const actor = await actingAdmin(hub, args.as);
    // Only the id is taken from the file: what is written comes from the stored preview.
    if (!plan.hasChanges) {
      result = { kind: 'renkei.apply', version: 1, run: null, failures: [] };
    } else {
      const started = await startFromPreview(hub, actor, {
        previewId: plan.preview.id,
        confirmedMismatches: args.confirmMismatch ?? [],
      });
      const run = args.noWait ? started : await runEnded(hub, started.id);
      result = ApplyResult.parse({
        kind: 'renkei.apply',
        version: 1,
        run: runJson(run),
        failures: args.noWait ? [] : await failuresOf(hub, run.id),
      });
    }
  } catch (error) {
    io.err(refusal(error));
    return EXIT.error;
  }
  io.out(args.json ? JSON.stringify(result, null, 2) : formatApply(result));
  const status = result.run?.status;
  return status === undefined || status === 'succeeded' || status === 'queued' || status === 'running'
    ? EXIT.ok
    : EXIT.failures;
}

export async function runsCommand(
  hub: Hub,
  args: { json?: boolean | undefined; connection?: string | undefined; limit?: number | undefined },
  io: Io,
): Promise<number> {
  try {
    const limit = args.limit ?? 20;
    const connections = args.connection
      ? [await findConnection(hub, args.connection)]
      : await hub.connections.list();
    const runs = (
      await Promise.all(
        connections.map(async (connection) =>
          (
            await hub.runs.history(connection.id, { pageSize: limit })
          ).items.map((run) => ({
            ...runJson(run),
            connectionName: connection.displayName,
          })),
        ),
      )
    )
      .flat()
      .sort((a, b) => (a.createdAt < b.createdAt ? 1 : a.createdAt > b.createdAt ? -1 : 0))
      .slice(0, limit);
    const list = RunsList.parse({ kind: 'renkei.runs', version: 1, runs });
    io.out(args.json ? JSON.stringify(list, null, 2) : formatRuns(list));
    return EXIT.ok;
  } catch (error) {
    io.err(refusal(error));
    return EXIT.error;
  }
}

/** `renkei schema <plan|apply|runs>`: the JSON Schema of what --json prints. */
export const SCHEMAS = { plan: PlanDocument, apply: ApplyResult, runs: RunsList } as const;

export function schemaCommand(name: string | undefined, io: Io): number {
  const schema = SCHEMAS[name as keyof typeof SCHEMAS];
  if (!schema || !Object.hasOwn(SCHEMAS, name as string)) {
    io.err(`schema は ${Object.keys(SCHEMAS).join(' | ')} のいずれかです。`);
    return EXIT.error;
  }
  io.out(JSON.stringify(z.toJSONSchema(schema, { io: 'output', unrepresentable: 'any' }), null, 2));
  return EXIT.ok;
}

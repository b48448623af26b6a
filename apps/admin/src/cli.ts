#!/usr/bin/env node
// `renkei serve | worker | users create`: Renkei for real use, configured from the environment
// (config/config.ts). `./renkei start` (the demo) is main.ts.
import { parseArgs } from 'node:util';
import { type Hub, isHubError, passwordProblem } from '@renkei/hub';
import { applyCommand, EXIT, planCommand, runsCommand, schemaCommand } from './cli/automation.ts';
import { readPassword } from './cli/password.ts';
import {
  configHelp,
  EXIT_CONFIG,
  formatConfigErrors,
  loadConfig,
  type Mode,
  type RenkeiConfig,
} from './config/config.ts';
import { CONNECTORS } from './connectors.ts';
import { jsonLogger } from './server/log.ts';
import { DRAIN_LIMIT_MS, openHub, setupLink, startServer } from './server/serve.ts';

const USAGE = `使い方 / usage:
  renkei serve                  管理画面と同期ワーカーを起動 / run the admin app and the worker
  renkei worker [--concurrency n]  同期ワーカーだけを起動（PostgreSQL） / extra queue workers (PostgreSQL)
  renkei users create [--admin] --email <address> --name <name>
                                ユーザーを作成（パスワードは端末か標準入力から） / create a user (password from the terminal or stdin)
  renkei plan --connection <名前|id> --direction import|export [--area <データ領域>] [--older]
              [--all-employees] [--basis-date YYYY-MM-DD] [--json] [--out plan.json] [--as <email>]
                                差分を取得して表示 / preview a sync (exit 0 差分なし, 2 差分あり, 1 エラー)
  renkei apply <plan.json> [--confirm-mismatch <社員番号>]… [--no-wait] [--json] [--as <email>]
                                プランから同期を開始 / start the run of a stored plan (exit 0 ok, 1 refused, 3 failures)
  renkei runs [--connection <名前|id>] [--limit n] [--json]
                                連携履歴 / list runs
  renkei schema plan|apply|runs --json の JSON Schema / the JSON Schema of --json output

環境変数 / environment:
${configHelp()}

終了コード / exit codes: 0 正常 / ok, 1 エラー / error, 2 引数の誤り / usage, ${EXIT_CONFIG} 設定の誤り / configuration`;

const logger = jsonLogger();
/** plan / apply / runs print for people or scripts on stdout: the hub's logs only warn and worse, on stderr. */
const quietLogger = jsonLogger((stream, line) => {
  if (stream === 'err') console.error(line);
});

function configOrExit(mode: Mode): RenkeiConfig {
  const result = loadConfig(process.env, mode);
  if (result.ok) return result.config;
  console.error(formatConfigErrors(result.errors));
  process.exit(EXIT_CONFIG);
}

/** SIGTERM/SIGINT: `stop` drains; a second signal or the drain limit ends the process at once. */
function onStopSignal(stop: () => Promise<void>): void {
  let stopping = false;
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.on(signal, () => {
      if (stopping) process.exit(130);
      stopping = true;
      logger.info('stopping: no new requests or jobs; finishing the work in flight', { signal });
      setTimeout(() => {
        logger.error('drain took too long; exiting with work in flight (it resumes on the next start)');
        process.exit(1);
      }, DRAIN_LIMIT_MS).unref();
      stop().then(
        () => {
          logger.info('stopped');
          process.exit(0);
        },
        (error: unknown) => {
          logger.error('stop failed', { error: String(error) });
          process.exit(1);
        },
      );
    });
  }
}

async function serveCommand(): Promise<void> {
  const config = configOrExit('serve');
  const server = await startServer(config, CONNECTORS, logger);
  onStopSignal(server.close);
  const link = await setupLink(server);
  if (link) {
    // The link itself goes to the terminal only: whoever reads the collected JSON log within the
    // hour must not be able to create the first admin.
    logger.warn('no user yet: open the one-time set-up link printed on the terminal within 1 hour');
    console.error(`\n初期設定 / First admin: ${link}\n（1時間有効・1回限り / valid 1 hour, single use）\n`);
  }
}

async function workerCommand(concurrency: string | undefined): Promise<void> {
  const config = configOrExit('worker');
  const workerConcurrency = concurrency === undefined ? undefined : Number(concurrency);
  if (
    workerConcurrency !== undefined &&
    !(Number.isInteger(workerConcurrency) && workerConcurrency >= 1 && workerConcurrency <= 32)
  ) {
    console.error(
      '--concurrency は 1〜32 の整数にしてください。 / --concurrency must be an integer from 1 to 32.',
    );
    process.exit(2);
  }
  const hub = await openHub(config, CONNECTORS, logger, {
    worker: true,
    ...(workerConcurrency ? { workerConcurrency } : {}),
  });
  onStopSignal(hub.close);
  logger.info('renkei worker started', { pid: process.pid, connectors: CONNECTORS.map((c) => c.id) });
}

async function usersCreate(values: { admin?: boolean; email?: string; name?: string }): Promise<void> {
  if (!values.email || !values.name) {
    console.error(USAGE);
    process.exit(2);
  }
  const config = configOrExit('users');
  const password = await readPassword();
  // The policy first: a refused password never opens the database.
  const problem = passwordProblem(password, { email: values.email, name: values.name });
  if (problem) {
    console.error(`  password: ${problem}`);
    process.exit(1);
  }
  const hub = await openHub(config, CONNECTORS, logger, { worker: false });
  try {
    const user = await hub.users.createByOperator({
      email: values.email,
      name: values.name,
      password,
      role: values.admin ? 'admin' : 'member',
    });
    console.log(`作成しました / created: ${user.email}（${user.role === 'admin' ? '管理者' : 'メンバー'}）`);
  } catch (error) {
    if (!isHubError(error)) throw error;
    console.error(error.message);
    for (const issue of error.issues) console.error(`  ${String(issue.field)}: ${issue.message}`);
    process.exitCode = 1;
  } finally {
    await hub.close();
  }
}

const io = { out: (text: string) => console.log(text), err: (text: string) => console.error(text) };

/** plan, apply and runs: a hub on serve's database and key; apply works its run unless --no-wait. */
async function automationCommand(run: (hub: Hub) => Promise<number>, worker: boolean): Promise<void> {
  const config = configOrExit('cli');
  const hub = await openHub(config, CONNECTORS, quietLogger, { worker });
  let code: number = EXIT.error;
  try {
    code = await run(hub);
  } finally {
    await hub.close();
  }
  process.exit(code);
}

/** A usage mistake of plan exits 1, never 2 (which means "changes"). */
function planUsage(message: string): never {
  console.error(`${message}\n\n${USAGE}`);
  process.exit(EXIT.error);
}

async function main(): Promise<void> {
  const { positionals, values } = parseArgs({
    allowPositionals: true,
    strict: true,
    options: {
      help: { type: 'boolean', short: 'h' },
      admin: { type: 'boolean' },
      email: { type: 'string' },
      name: { type: 'string' },
      concurrency: { type: 'string' },
      connection: { type: 'string' },
      direction: { type: 'string' },
      area: { type: 'string' },
      older: { type: 'boolean' },
      'all-employees': { type: 'boolean' },
      'basis-date': { type: 'string' },
      json: { type: 'boolean' },
      out: { type: 'string' },
      as: { type: 'string' },
      'confirm-mismatch': { type: 'string', multiple: true },
      'no-wait': { type: 'boolean' },
      limit: { type: 'string' },
    },
  });
  const as = values.as ?? (process.env.RENKEI_CLI_USER || undefined);
  const [command, sub] = positionals;
  if (values.help) {
    console.log(USAGE);
    return;
  }
  if (command === 'serve' && positionals.length === 1) return serveCommand();
  if (command === 'worker' && positionals.length === 1) return workerCommand(values.concurrency);
  if (command === 'users' && sub === 'create' && positionals.length === 2) return usersCreate(values);
  if (command === 'plan') {
    const { connection, direction } = values;
    if (positionals.length !== 1 || !connection) planUsage('--connection を指定してください。');
    if (direction !== 'import' && direction !== 'export') planUsage('--direction は import か export です。');
    return automationCommand(
      (hub) =>
        planCommand(
          hub,
          {
            connection,
            direction,
            area: values.area,
            older: values.older,
            allEmployees: values['all-employees'],
            basisDate: values['basis-date'],
            json: values.json,
            out: values.out,
            as,
          },
          io,
        ),
      false,
    );
  }
  if (command === 'apply' && sub && positionals.length === 2) {
    return automationCommand(
      (hub) =>
        applyCommand(
          hub,
          {
            file: sub,
            confirmMismatch: values['confirm-mismatch'],
            noWait: values['no-wait'],
            json: values.json,
            as,
          },
          io,
        ),
      !values['no-wait'],
    );
  }
  if (command === 'runs' && positionals.length === 1) {
    const limit = values.limit === undefined ? undefined : Number(values.limit);
    if (limit !== undefined && !(Number.isInteger(limit) && limit >= 1 && limit <= 500)) {
      console.error('--limit は 1〜500 の整数にしてください。 / --limit must be an integer from 1 to 500.');
      process.exit(2);
    }
    return automationCommand(
      (hub) => runsCommand(hub, { json: values.json, connection: values.connection, limit }, io),
      false,
    );
  }
  if (command === 'schema' && positionals.length === 2) process.exit(schemaCommand(sub, io));
  console.error(USAGE);
  process.exit(2);
}

main().catch((error: unknown) => {
  if (error instanceof TypeError && 'code' in error && String(error.code).startsWith('ERR_PARSE_ARGS')) {
    console.error(`${error.message}\n\n${USAGE}`);
    // plan's 2 means "changes": its usage errors exit 1.
    process.exit(process.argv[2] === 'plan' ? 1 : 2);
  }
  logger.error('renkei failed to start', { error: error instanceof Error ? error.message : String(error) });
  process.exit(1);
});

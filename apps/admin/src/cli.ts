#!/usr/bin/env node
// `renkei serve | worker | users create`: Renkei for real use, configured from the environment
// (config/config.ts). `./renkei start` (the demo) is main.ts.
import { parseArgs } from 'node:util';
import { isHubError } from '@renkei/hub';
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

環境変数 / environment:
${configHelp()}

終了コード / exit codes: 0 正常 / ok, 1 エラー / error, 2 引数の誤り / usage, ${EXIT_CONFIG} 設定の誤り / configuration`;

const logger = jsonLogger();

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
    logger.warn('no user yet: open the one-time set-up link within 1 hour to create the first admin', {
      setupUrl: link,
    });
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
    },
  });
  const [command, sub] = positionals;
  if (values.help) {
    console.log(USAGE);
    return;
  }
  if (command === 'serve' && positionals.length === 1) return serveCommand();
  if (command === 'worker' && positionals.length === 1) return workerCommand(values.concurrency);
  if (command === 'users' && sub === 'create' && positionals.length === 2) return usersCreate(values);
  console.error(USAGE);
  process.exit(2);
}

main().catch((error: unknown) => {
  if (error instanceof TypeError && 'code' in error && String(error.code).startsWith('ERR_PARSE_ARGS')) {
    console.error(`${error.message}\n\n${USAGE}`);
    process.exit(2);
  }
  logger.error('renkei failed to start', { error: error instanceof Error ? error.message : String(error) });
  process.exit(1);
});

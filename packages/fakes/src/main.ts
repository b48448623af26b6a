import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { startFakeServer } from './server.ts';

const USAGE = `pnpm fakes [--state <file>] [--info <file>] [--port <n>] [--host <loopback>] [--seed]

The PCAクラウド給与, PCAクラウド給与 hyper and ジョブカン勤怠管理 fakes as a real HTTP server on loopback.
For tests only: never point a production installation at it.

  --state <file>  keep the fakes' state in this JSON file (a restart with it keeps the vendors' data)
  --info <file>   write {"baseUrls", "vendors": [{"id", "credentials"}]} to this file
  --port <n>      port to listen on (default: a free one)
  --host <addr>   loopback address to listen on (default 127.0.0.1)
  --seed          seed demo-like employees when the state is new
Prints RENKEI_VENDOR_BASE_URLS=<origin>=<base URL>,… once it listens.`;

function fail(message: string): never {
  console.error(`${message}\n\n${USAGE}`);
  process.exit(2);
}

let args: ReturnType<typeof parse>;
function parse() {
  return parseArgs({
    options: {
      state: { type: 'string' },
      info: { type: 'string' },
      port: { type: 'string', default: '0' },
      host: { type: 'string', default: '127.0.0.1' },
      seed: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
  });
}
try {
  args = parse();
} catch (error) {
  fail(error instanceof Error ? error.message : String(error));
}
const { values } = args;
if (values.help) {
  console.log(USAGE);
  process.exit(0);
}
const port = Number(values.port);
if (!Number.isInteger(port) || port < 0 || port > 65_535) fail(`--port: ${values.port} is not a port`);

const server = await startFakeServer({
  port,
  hostname: values.host,
  seed: values.seed,
  ...(values.state ? { stateFile: resolve(values.state) } : {}),
}).catch((error: unknown) => fail(error instanceof Error ? error.message : String(error)));

if (values.info) {
  const file = resolve(values.info);
  mkdirSync(dirname(file), { recursive: true });
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(
    temporary,
    `${JSON.stringify({ baseUrls: server.baseUrls, vendors: server.vendors }, null, 2)}\n`,
  );
  renameSync(temporary, file);
}
console.error(`模擬 API（テスト専用・本番では使わないでください）: ${server.url}`);
console.log(`RENKEI_VENDOR_BASE_URLS=${server.baseUrls}`);

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    server.close().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error(error);
        process.exit(1);
      },
    );
  });
}

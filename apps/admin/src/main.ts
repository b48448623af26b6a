import { fileURLToPath } from 'node:url';
import { startDemo } from './demo/demo.ts';

/** `pnpm start`: the demo on http://localhost:3000 with its data in the repository's `.data/`. */
const dataDir = process.env.RENKEI_DATA_DIR ?? fileURLToPath(new URL('../../../.data', import.meta.url));
const port = Number(process.env.PORT ?? 3000);
const importMaxMb = Number(process.env.RENKEI_IMPORT_MAX_MB);

const demo = await startDemo({
  dataDir,
  port,
  ...(process.env.HOST ? { hostname: process.env.HOST } : {}),
  trustProxy: process.env.RENKEI_TRUST_PROXY === '1',
  ...(importMaxMb > 0 ? { maxImportBytes: importMaxMb * 1024 * 1024 } : {}),
});
console.log(`
Renkei デモを起動しました: ${demo.url}
データ: ${dataDir}
ログイン:
${demo.logins.map((login) => `  ${login.label}: ${login.email} / ${login.password}`).join('\n')}
連携先（PCAクラウド給与・PCAクラウド給与 hyper・ジョブカン勤怠管理）はこのプロセス内の模擬 API です。
終了するには Ctrl+C を押してください。
`);

let closing = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    // A second Ctrl+C does not wait for the graceful close.
    if (closing) process.exit(130);
    closing = true;
    demo.close().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error(error);
        process.exit(1);
      },
    );
  });
}

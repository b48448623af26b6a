import { EXIT_CONFIG, formatConfigErrors, loadConfig } from './config/config.ts';
import { startDemo } from './demo/demo.ts';

/** `./renkei start`: the demo on http://127.0.0.1:3000 with its data in the repository's `.data/`. */
const loaded = loadConfig(process.env, 'demo');
if (!loaded.ok) {
  console.error(formatConfigErrors(loaded.errors));
  process.exit(EXIT_CONFIG);
}
const config = loaded.config;
const dataDir = 'dataDir' in config.database ? config.database.dataDir : '.data';

const demo = await startDemo({
  dataDir,
  port: config.port,
  hostname: config.host,
  trustProxy: config.trustProxy,
  session: config.session,
  maxImportBytes: config.maxImportBytes,
  ...(config.secretKey ? { secretKey: config.secretKey } : {}),
});
console.log(`
Renkei デモを起動しました: ${demo.url}
データ: ${dataDir}${demo.keyFile ? `\n認証情報の暗号鍵: ${demo.keyFile.file}（データフォルダーの外）` : ''}${
  demo.keyFile?.moved
    ? `\n  以前の版がデータフォルダー内に置いた鍵 ${demo.keyFile.moved} をここへ移しました。`
    : ''
}
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

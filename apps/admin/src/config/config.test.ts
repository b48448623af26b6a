import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { type ConfigResult, configHelp, formatConfigErrors, loadConfig, VARIABLES } from './config.ts';

const KEY = randomBytes(32).toString('base64');
const folder = mkdtempSync(join(tmpdir(), 'renkei-config-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

const errorsOf = (result: ConfigResult) => (result.ok ? [] : result.errors);

describe('the configuration', () => {
  it('defaults: loopback, port 3000, PGlite, the worker in process', () => {
    const result = loadConfig({ RENKEI_SECRET_KEY: KEY, RENKEI_DATA_DIR: join(folder, 'data') }, 'serve');
    expect(result).toMatchObject({
      ok: true,
      config: {
        host: '127.0.0.1',
        port: 3000,
        worker: true,
        trustProxy: false,
        database: { dataDir: join(folder, 'data') },
        secretKey: KEY,
        vendorOverrides: [],
        session: { idleMs: 2 * 3_600_000, absoluteMs: 12 * 3_600_000 },
        maxImportBytes: 20 * 1024 * 1024,
      },
    });
    // The demo binds loopback too, and needs no key (it generates one beside its data folder).
    expect(loadConfig({}, 'demo')).toMatchObject({
      ok: true,
      config: { host: '127.0.0.1', secretKey: undefined },
    });
  });

  it.each([
    ['DATABASE_URL', 'mysql://db/renkei', /postgres:\/\//],
    ['RENKEI_SECRET_KEY', 'c2hvcnQ=', /32 バイト.*32 bytes/],
    ['HOST', 'http://0.0.0.0', /IP アドレスかホスト名/],
    ['PORT', '70000', /0〜65535/],
    ['RENKEI_SESSION_IDLE_MINUTES', '0', /1〜10080 の整数/],
    ['RENKEI_SESSION_MAX_HOURS', '1.5', /1〜744 の整数/],
    ['RENKEI_IMPORT_MAX_MB', '2048', /1〜1024 の整数/],
    ['PORT', 'abc', /0〜65535/],
    ['RENKEI_PUBLIC_URL', 'renkei.example.jp', /https:\/\//],
    ['RENKEI_PUBLIC_URL', 'https://renkei.example.jp/?a=1', /\? や #/],
    ['SMTP_URL', 'http://mail.example.jp', /smtp:\/\//],
    ['RENKEI_MAIL_FROM', 'not an address', /メールアドレス/],
    ['RENKEI_TRUST_PROXY', 'yes', /0 か 1/],
    ['RENKEI_WORKER', 'off', /0 か 1/],
    ['RENKEI_VENDOR_BASE_URLS', 'https://east02.pcawebapi.jp=http://10.0.0.5:41001', /ループバック/],
    ['RENKEI_VENDOR_BASE_URLS', 'https://east02.pcawebapi.jp/v1=http://127.0.0.1:1', /オリジン/],
    ['RENKEI_VENDOR_BASE_URLS', 'east02', /形で指定/],
  ])('%s=%s is refused with a message naming it', (variable, value, message) => {
    const errors = errorsOf(loadConfig({ RENKEI_SECRET_KEY: KEY, [variable]: value }, 'serve'));
    expect(errors).toHaveLength(1);
    expect(errors[0]?.variable).toBe(variable);
    expect(errors[0]?.message).toMatch(message);
    // Japanese / English, both.
    expect(errors[0]?.message).toContain(' / ');
  });

  it('reports every bad variable at once', () => {
    const errors = errorsOf(loadConfig({ PORT: 'x', HOST: 'a b', SMTP_URL: 'nope' }, 'serve'));
    expect(errors.map((error) => error.variable).sort()).toEqual([
      'HOST',
      'PORT',
      'RENKEI_SECRET_KEY',
      'SMTP_URL',
    ]);
    expect(formatConfigErrors(errors)).toMatch(/^設定に誤りがあります \/ Invalid configuration:\n {2}/);
  });

  it('serve and worker refuse to start without a key; the demo and users do not need one', () => {
    expect(errorsOf(loadConfig({}, 'serve'))).toEqual([
      {
        variable: 'RENKEI_SECRET_KEY',
        message: expect.stringMatching(/暗号鍵がありません.*no credentials key/),
      },
    ]);
    expect(errorsOf(loadConfig({ DATABASE_URL: 'postgres://db/x' }, 'worker'))[0]?.variable).toBe(
      'RENKEI_SECRET_KEY',
    );
    expect(loadConfig({}, 'users').ok).toBe(true);
  });

  it('worker needs a PostgreSQL server', () => {
    expect(errorsOf(loadConfig({ RENKEI_SECRET_KEY: KEY }, 'worker'))).toEqual([
      { variable: 'DATABASE_URL', message: expect.stringMatching(/PostgreSQL/) },
    ]);
    expect(loadConfig({ RENKEI_SECRET_KEY: KEY, DATABASE_URL: 'postgres://db/x' }, 'worker')).toMatchObject({
      ok: true,
      config: { worker: true, database: { databaseUrl: 'postgres://db/x' } },
    });
  });

  it('reads the key from a file outside the data folder, never inside it', () => {
    const dataDir = join(folder, 'renkei-data');
    const outside = join(folder, 'renkei.key');
    writeFileSync(outside, `${KEY}\n`);
    expect(loadConfig({ RENKEI_DATA_DIR: dataDir, RENKEI_SECRET_KEY_FILE: outside }, 'serve')).toMatchObject({
      ok: true,
      config: { secretKey: KEY },
    });
    const inside = join(dataDir, 'secret.key');
    rmSync(dataDir, { recursive: true, force: true });
    writeFileSync(join(folder, 'tmp.key'), KEY);
    const errors = errorsOf(
      loadConfig({ RENKEI_DATA_DIR: dataDir, RENKEI_SECRET_KEY_FILE: inside }, 'serve'),
    );
    expect(errors[0]).toMatchObject({
      variable: 'RENKEI_SECRET_KEY_FILE',
      message: expect.stringMatching(/中に置かないで/),
    });
    expect(
      errorsOf(loadConfig({ RENKEI_SECRET_KEY_FILE: join(folder, 'missing.key') }, 'serve'))[0]?.message,
    ).toMatch(/読めません/);
    writeFileSync(join(folder, 'bad.key'), 'short');
    expect(
      errorsOf(loadConfig({ RENKEI_SECRET_KEY_FILE: join(folder, 'bad.key') }, 'serve'))[0]?.message,
    ).toMatch(/32 バイト/);
    expect(
      errorsOf(loadConfig({ RENKEI_SECRET_KEY: KEY, RENKEI_SECRET_KEY_FILE: outside }, 'serve'))[0]?.message,
    ).toMatch(/どちらか一方/);
  });

  it('treats an empty variable as unset', () => {
    expect(
      loadConfig({ RENKEI_SECRET_KEY: KEY, PORT: '', HOST: '', DATABASE_URL: '' }, 'serve'),
    ).toMatchObject({
      ok: true,
      config: { port: 3000, host: '127.0.0.1' },
    });
  });

  it('parses the loopback vendor override and RENKEI_WORKER=0', () => {
    const result = loadConfig(
      {
        RENKEI_SECRET_KEY: KEY,
        RENKEI_WORKER: '0',
        RENKEI_VENDOR_BASE_URLS:
          'https://east02.pcawebapi.jp=http://127.0.0.1:41001,https://api-kintai.jobcan.jp=http://localhost:41002/jobcan/',
      },
      'serve',
    );
    expect(result).toMatchObject({
      ok: true,
      config: {
        worker: false,
        vendorOverrides: [
          { origin: 'https://east02.pcawebapi.jp', baseUrl: 'http://127.0.0.1:41001' },
          { origin: 'https://api-kintai.jobcan.jp', baseUrl: 'http://localhost:41002/jobcan' },
        ],
      },
    });
  });

  it('reads the session limits and the CSV upload limit', () => {
    const result = loadConfig(
      {
        RENKEI_SECRET_KEY: KEY,
        RENKEI_SESSION_IDLE_MINUTES: '30',
        RENKEI_SESSION_MAX_HOURS: '8',
        RENKEI_IMPORT_MAX_MB: '50',
      },
      'serve',
    );
    expect(result).toMatchObject({
      ok: true,
      config: {
        session: { idleMs: 30 * 60_000, absoluteMs: 8 * 3_600_000 },
        maxImportBytes: 50 * 1024 * 1024,
      },
    });
  });

  it("the README's table lists every variable with its default", () => {
    const readme = readFileSync(new URL('../../../../README.md', import.meta.url), 'utf8');
    for (const variable of VARIABLES) {
      const row = readme.split('\n').find((line) => line.startsWith(`| \`${variable.name}\` |`));
      expect(row, variable.name).toBeDefined();
      if (variable.default && /^\d+$/.test(variable.default))
        expect(row).toContain(`\`${variable.default}\``);
    }
  });

  it('--help lists every variable', () => {
    const help = configHelp();
    for (const variable of VARIABLES) expect(help).toContain(variable.name);
  });
});

// `renkei serve | worker | users` as the operator runs them: exit codes and messages.
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { EXIT_CONFIG, VARIABLES } from './config/config.ts';
import { newSecretKey, runCli } from './e2e/processes.ts';

const folder = mkdtempSync(join(tmpdir(), 'renkei-cli-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

/** A clean environment: nothing of the developer's own configuration leaks in. */
const clean = { DATABASE_URL: '', RENKEI_SECRET_KEY: '', RENKEI_SECRET_KEY_FILE: '', HOST: '', PORT: '' };

// Each case starts node on the CLI (which loads every connector): room for a busy machine.
describe('renkei serve, worker and users', { timeout: 300_000 }, () => {
  it('--help lists every variable and the exit codes', async () => {
    const { code, stdout } = await runCli(['serve', '--help'], clean);
    expect(code).toBe(0);
    for (const variable of VARIABLES) expect(stdout).toContain(variable.name);
    expect(stdout).toContain(`${EXIT_CONFIG} 設定の誤り`);
  });

  it('serve refuses to start without a key, and names every bad variable', async () => {
    const { code, stderr } = await runCli(['serve'], {
      ...clean,
      RENKEI_DATA_DIR: join(folder, 'data'),
      PORT: '99999',
      HOST: 'a b',
    });
    expect(code).toBe(EXIT_CONFIG);
    expect(stderr).toContain('設定に誤りがあります / Invalid configuration:');
    for (const variable of ['PORT', 'HOST', 'RENKEI_SECRET_KEY'])
      expect(stderr).toMatch(new RegExp(`^  ${variable}: `, 'm'));
    // Nothing was created: no data folder, no key file.
    expect(readdirSync(folder)).toEqual([]);
  });

  it('worker needs PostgreSQL; unknown commands and options are usage errors', async () => {
    const worker = await runCli(['worker'], { ...clean, RENKEI_SECRET_KEY: newSecretKey() });
    expect(worker.code).toBe(EXIT_CONFIG);
    expect(worker.stderr).toMatch(/^ {2}DATABASE_URL: .*PostgreSQL/m);
    expect((await runCli(['nonsense'], clean)).code).toBe(2);
    expect((await runCli(['serve', '--bogus'], clean)).code).toBe(2);
    expect((await runCli(['users', 'create', '--name', 'x'], clean)).code).toBe(2);
  });

  it('plan: a usage mistake exits 1 (2 means changes), no key is a configuration error; schema prints JSON Schema', async () => {
    const env = { ...clean, RENKEI_DATA_DIR: join(folder, 'plan-data') };
    expect((await runCli(['plan', '--direction', 'import'], env)).code).toBe(1);
    expect((await runCli(['plan', '--connection', 'x', '--direction', 'sideways'], env)).code).toBe(1);
    expect((await runCli(['plan', '--bogus'], env)).code).toBe(1);
    const noKey = await runCli(['plan', '--connection', 'x', '--direction', 'import'], env);
    expect(noKey.code).toBe(EXIT_CONFIG);
    expect(noKey.stderr).toMatch(/^ {2}RENKEI_SECRET_KEY: /m);
    const schema = await runCli(['schema', 'runs'], clean);
    expect(schema.code).toBe(0);
    expect(JSON.parse(schema.stdout).properties.kind.const).toBe('renkei.runs');
  });

  it('users create reads the password from stdin, applies the policy, and keeps no key file', async () => {
    const env = { ...clean, RENKEI_DATA_DIR: join(folder, 'users-data') };
    const args = ['users', 'create', '--admin', '--email', 'ops@example.jp', '--name', '運用 担当'];
    const weak = await runCli(args, env, 'ops@example.jp\n');
    expect(weak.code).toBe(1);
    expect(weak.stderr).toContain('password: ');
    const created = await runCli(args, env, 'a terminal typed phrase\n');
    expect(created.code).toBe(0);
    expect(created.stdout).toContain('ops@example.jp（管理者）');
    expect(created.stdout + created.stderr).not.toContain('a terminal typed phrase');
    expect(existsSync(join(folder, 'users-data.secret.key'))).toBe(false);
    expect(existsSync(join(folder, 'users-data', 'secret.key'))).toBe(false);
  });
});

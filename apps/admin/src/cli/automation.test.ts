// `renkei plan | apply | runs` against the demo's hub and vendors (in process): the exit codes of
// `terraform plan -detailed-exitcode`, the JSON documents, and the wizard's refusals.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApplyResult, PlanDocument, RunsList } from '../automation/schemas.ts';
import { DEMO_USERS } from '../demo/seed.ts';
import { type AppFixture, createAppFixture } from '../testing/fixture.ts';
import { applyCommand, EXIT, planCommand, runsCommand, schemaCommand } from './automation.ts';

let t: AppFixture;
let connection: string;
const folder = mkdtempSync(join(tmpdir(), 'renkei-plan-'));
beforeAll(async () => {
  t = await createAppFixture();
  connection = (await t.hub.connections.list()).find((c) => c.connectorId === 'jobcan')
    ?.displayName as string;
});
afterAll(async () => {
  await t.close();
  rmSync(folder, { recursive: true, force: true });
});

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { out: (text: string) => out.push(text), err: (text: string) => err.push(text) }, out, err };
}

const as = DEMO_USERS.admin.email;

describe('renkei plan / apply / runs', () => {
  it('plan prints the Japanese diff and exits 2 when there are changes; --out writes the plan JSON', async () => {
    const { io, out, err } = capture();
    const file = join(folder, 'plan.json');
    const code = await planCommand(t.hub, { connection, direction: 'export', out: file, as }, io);
    expect(err).toEqual([]);
    expect(code).toBe(EXIT.changes);
    const text = out.join('\n');
    expect(text).toMatch(/^連携先: ジョブカン/);
    expect(text).toMatch(/新規登録 \d+件、差分あり \d+件、差分なし \d+件/);
    expect(text).toContain('状態');
    expect(text).toContain(' → ');
    expect(text).toContain('在籍者のみ（情報取得基準日');
    const plan = PlanDocument.parse(JSON.parse(readFileSync(file, 'utf8')));
    expect(plan).toMatchObject({ kind: 'renkei.plan', version: 1, hasChanges: true });
    expect(plan.preview.employmentFilter?.basisDate).toBe(t.hub.today());
    expect(plan.entries.length).toBe(
      Object.entries(plan.preview.summary)
        .filter(([key]) => key !== 'targetOnly')
        .reduce((sum, [, n]) => sum + (n as number), 0),
    );
  });

  it('apply starts the run from the stored plan, waits, prints outcomes; the same plan again is refused as spent', async () => {
    const file = join(folder, 'apply.json');
    await planCommand(t.hub, { connection, direction: 'export', out: file, as }, capture().io);
    const plan = PlanDocument.parse(JSON.parse(readFileSync(file, 'utf8')));
    const first = capture();
    const code = await applyCommand(t.hub, { file, json: true, as }, first.io);
    const result = ApplyResult.parse(JSON.parse(first.out.join('\n')));
    expect(result.run?.previewId).toBe(plan.preview.id);
    expect(['succeeded', 'partially_failed', 'failed']).toContain(result.run?.status);
    expect(code).toBe(result.run?.status === 'succeeded' ? EXIT.ok : EXIT.failures);

    const again = capture();
    expect(await applyCommand(t.hub, { file, as }, again.io)).toBe(EXIT.error);
    expect(again.err.join('\n')).toContain('この差分からはすでに同期を開始しています');
  });

  it('refuses a stale plan: the connection’s settings changed after it was taken', async () => {
    const file = join(folder, 'stale.json');
    expect(
      await planCommand(t.hub, { connection, direction: 'import', out: file, as }, capture().io),
    ).not.toBe(EXIT.error);
    const id = await t.connectionId('jobcan');
    const stored = await t.hub.connections.get(id);
    const admin = (await t.hub.users.list()).find((user) => user.email === as)?.id as string;
    await t.hub.connections.update(admin, id, {
      displayName: stored?.displayName as string,
      credentials: {},
    });
    const { io, err } = capture();
    expect(await applyCommand(t.hub, { file, as }, io)).toBe(EXIT.error);
    expect(err.join('\n')).toContain('差分の取得後に連携設定が変更されました');
  });

  it('a 別人の可能性 is written only when confirmed by 社員番号; then plan exits 0 and --json says no changes', async () => {
    // After importing everything the picker selects, only the 別人の可能性 entry is left.
    const first = join(folder, 'import.json');
    await planCommand(t.hub, { connection, direction: 'import', out: first, as }, capture().io);
    await applyCommand(t.hub, { file: first, as }, capture().io);
    const left = join(folder, 'mismatch.json');
    expect(await planCommand(t.hub, { connection, direction: 'import', out: left, as }, capture().io)).toBe(
      EXIT.changes,
    );
    const mismatches = PlanDocument.parse(JSON.parse(readFileSync(left, 'utf8'))).entries.filter(
      (entry) => entry.status !== 'unchanged',
    );
    expect(mismatches.map((entry) => entry.status)).toEqual(['identity_mismatch']);
    const code = (mismatches[0] as (typeof mismatches)[number]).employeeCode;
    const refused = capture();
    expect(await applyCommand(t.hub, { file: left, as }, refused.io)).toBe(EXIT.error);
    expect(refused.err.join('')).toContain(
      `別人の可能性がある社員番号は、1人ずつ確認して指定した場合だけ書き込みます: ${code}`,
    );
    expect(await applyCommand(t.hub, { file: left, confirmMismatch: [code], as }, capture().io)).toBe(
      EXIT.ok,
    );

    const again = capture();
    const exit = await planCommand(t.hub, { connection, direction: 'import', json: true, as }, again.io);
    const plan = PlanDocument.parse(JSON.parse(again.out.join('\n')));
    expect(plan.hasChanges).toBe(false);
    expect(exit).toBe(EXIT.ok);
    const noop = join(folder, 'noop.json');
    await planCommand(t.hub, { connection, direction: 'import', out: noop, as }, capture().io);
    const applied = capture();
    expect(await applyCommand(t.hub, { file: noop, as }, applied.io)).toBe(EXIT.ok);
    expect(applied.out.join('')).toContain('差分なし');
  });

  it('plan and apply exit 1 on errors: unknown connection, unknown or member user, unreadable plan', async () => {
    const unknown = capture();
    expect(
      await planCommand(t.hub, { connection: 'どこにもない', direction: 'import', as }, unknown.io),
    ).toBe(EXIT.error);
    expect(unknown.err.join('')).toContain('連携先「どこにもない」が見つかりません');
    const wrongUser = capture();
    expect(
      await planCommand(t.hub, { connection, direction: 'import', as: 'nobody@example.jp' }, wrongUser.io),
    ).toBe(EXIT.error);
    const member = capture();
    expect(
      await planCommand(t.hub, { connection, direction: 'import', as: DEMO_USERS.member.email }, member.io),
    ).toBe(EXIT.error);
    const badFile = capture();
    expect(await applyCommand(t.hub, { file: join(folder, 'missing.json'), as }, badFile.io)).toBe(
      EXIT.error,
    );
  });

  it('runs lists 連携履歴 newest first, as a table or JSON', async () => {
    const table = capture();
    expect(await runsCommand(t.hub, {}, table.io)).toBe(EXIT.ok);
    expect(table.out.join('\n')).toMatch(/^開始\s+連携先\s+方向\s+状態/);
    const json = capture();
    await runsCommand(t.hub, { json: true, connection, limit: 2 }, json.io);
    const list = RunsList.parse(JSON.parse(json.out.join('\n')));
    expect(list.runs).toHaveLength(2);
    expect(list.runs[0]?.connectionName).toBe(connection);
    expect((list.runs[0]?.createdAt as string) >= (list.runs[1]?.createdAt as string)).toBe(true);
  });

  it('schema prints the JSON Schema of each --json document', () => {
    const { io, out } = capture();
    expect(schemaCommand('plan', io)).toBe(EXIT.ok);
    const schema = JSON.parse(out.join(''));
    expect(schema.properties.kind).toMatchObject({ const: 'renkei.plan' });
    expect(schema.required).toEqual(expect.arrayContaining(['preview', 'entries', 'hasChanges']));
    expect(schemaCommand('constructor', capture().io)).toBe(EXIT.error);
  });
});

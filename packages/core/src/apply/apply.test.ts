import { describe, expect, it } from 'vitest';
import type { Clock } from '../clock.ts';
import type { ConnectorFields, ConnectorSession, EmployeeWrite, WriteResult } from '../connector.ts';
import type { Employee, FieldKey } from '../employee.ts';
import { ConnectorError, type ConnectorErrorInfo } from '../errors.ts';
import { fingerprintEmployee, plan as planOf } from '../plan/index.ts';
import type { FieldChange, Plan, PlanEntry } from '../plan/types.ts';
import { createVirtualClock } from '../time/index.ts';
import { apply, applyAll } from './apply.ts';
import { runStatus } from './status.ts';
import { type ApplyEvent, ApplyResult, type ApplyTarget, type EmployeeOutcome } from './types.ts';

const FIELDS: FieldKey[] = ['lastName', 'firstName', 'email'];
const TARGET_FIELDS: ConnectorFields = { lastName: 'readWrite', firstName: 'readWrite', email: 'readWrite' };

/** An in-memory target with scriptable failures; counts creates so a double create shows. */
function memoryTarget(initial: Employee[] = []) {
  const records = new Map(initial.map((employee) => [employee.employeeCode, { ...employee }]));
  const creates = new Map<string, number>();
  const calls: EmployeeWrite[][] = [];
  const reads: string[][] = [];
  /**
   * Next write calls: throw this error, after committing the first `commit` writes — or, with
   * `commitAfterMs`, committing them that long after the call failed (a vendor that commits late).
   */
  const script: { error: ConnectorError; commit?: number; commitAfterMs?: number; clock?: Clock }[] = [];
  /** A write call carrying one of these fails (retryable 503) every time. */
  const poisoned = new Set<string>();
  /** Per-record failures answered in the WriteResult. */
  const rejected = new Map<string, ConnectorErrorInfo>();
  let inFlight = 0;
  let maxInFlight = 0;
  let beforeRead: (() => void) | undefined;

  const commit = (write: EmployeeWrite) => {
    if (write.op === 'create') {
      creates.set(write.employeeCode, (creates.get(write.employeeCode) ?? 0) + 1);
      records.set(write.employeeCode, { ...write.values });
      return;
    }
    const record = records.get(write.employeeCode) as Record<string, unknown>;
    for (const [field, value] of Object.entries(write.changes)) {
      if (value === null) delete record[field];
      else record[field] = value;
    }
  };

  const session: ConnectorSession = {
    async check() {},
    async listDataAreas() {
      return [{ id: 'default', name: '既定' }];
    },
    async *listEmployees() {
      for (const employee of records.values()) yield { ok: true, employee };
    },
    async getEmployees(_area, codes) {
      beforeRead?.();
      reads.push([...codes]);
      return codes.flatMap((code) => {
        const employee = records.get(code);
        return employee ? [{ ok: true as const, employee: { ...employee } }] : [];
      });
    },
    async writeEmployees(_area, writes) {
      calls.push([...writes]);
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      await Promise.resolve();
      inFlight--;
      const scripted = script.shift();
      if (scripted) {
        const committed = writes.slice(0, scripted.commit ?? 0);
        if (scripted.commitAfterMs !== undefined && scripted.clock) {
          void scripted.clock.sleep(scripted.commitAfterMs).then(() => committed.forEach(commit));
        } else committed.forEach(commit);
        throw scripted.error;
      }
      if (writes.some((write) => poisoned.has(write.employeeCode))) {
        throw new ConnectorError('transient', '連携先のサーバーでエラーが発生しました。', { status: 503 });
      }
      return writes.map((write): WriteResult => {
        const error = rejected.get(write.employeeCode);
        if (error) return { employeeCode: write.employeeCode, ok: false, error };
        commit(write);
        return { employeeCode: write.employeeCode, ok: true, op: write.op };
      });
    },
    async close() {},
  };
  return {
    session,
    records,
    creates,
    calls,
    reads,
    script,
    poisoned,
    rejected,
    get maxInFlight() {
      return maxInFlight;
    },
    onRead(hook: () => void) {
      beforeRead = hook;
    },
  };
}

type Target = ReturnType<typeof memoryTarget>;

const person = (code: string, lastName: string, email?: string): Employee => ({
  employeeCode: code,
  lastName,
  firstName: '太郎',
  ...(email ? { email } : {}),
});

/** A plan writing `source` onto the target's current records (a tiny stand-in for plan()). */
function planFor(source: Employee[], target: Target): Plan {
  const entries = source.map((employee): PlanEntry => {
    const current = target.records.get(employee.employeeCode);
    const changes: FieldChange[] = FIELDS.flatMap((field) => {
      const after = employee[field] ?? null;
      const before = current?.[field] ?? null;
      return after !== null && after !== before ? [{ field, before, after }] : [];
    });
    return {
      employeeCode: employee.employeeCode,
      status: !current ? 'new' : changes.length > 0 ? 'changed' : 'unchanged',
      changes,
      issues: [],
      fingerprint: fingerprintEmployee(current, FIELDS),
      selectable: true,
    };
  });
  return {
    version: 1,
    fields: FIELDS,
    modes: {} as Plan['modes'],
    entries,
    targetOnlyCodes: [],
    summary: {
      new: 0,
      changed: 0,
      unchanged: 0,
      invalid: 0,
      conflict: 0,
      identity_mismatch: 0,
      targetOnly: 0,
    },
  };
}

function run(
  target: Target,
  plan: Plan,
  options: { batchSize?: number; concurrency?: number; signal?: AbortSignal; selection?: string[] } & Partial<
    Parameters<typeof apply>[3]
  > = {},
) {
  const clock = options.clock ?? createVirtualClock(0);
  const applyTarget: ApplyTarget = {
    session: target.session,
    area: 'default',
    definition: {
      fields: TARGET_FIELDS,
      limits: {
        rateLimits: [],
        concurrency: options.concurrency ?? 1,
        writeBatchSize: options.batchSize ?? 10,
      },
    },
  };
  const selection = options.selection ?? plan.entries.map((entry) => entry.employeeCode);
  return apply(plan, selection, applyTarget, { ...options, clock, random: () => 0.5 });
}

async function collect(generator: AsyncGenerator<ApplyEvent, ApplyResult>) {
  const events: ApplyEvent[] = [];
  for (;;) {
    const step = await generator.next();
    if (step.done) return { events, result: step.value };
    events.push(step.value);
  }
}

const statusOf = (outcomes: readonly EmployeeOutcome[], code: string) =>
  outcomes.find((outcome) => outcome.employeeCode === code)?.status;

const codes = (count: number, prefix = 'E') => Array.from({ length: count }, (_, i) => `${prefix}${100 + i}`);

describe('apply', () => {
  it('creates new and updates changed employees, recording the changes applied', async () => {
    const target = memoryTarget([person('E2', '佐藤', 'old@example.jp')]);
    const plan = planFor(
      [person('E1', '鈴木', 'suzuki@example.jp'), person('E2', '佐藤', 'new@example.jp')],
      target,
    );
    const { events, result } = await collect(run(target, plan));

    expect(result.status).toBe('succeeded');
    expect(result.outcomes).toEqual([
      {
        status: 'created',
        employeeCode: 'E1',
        attempts: 1,
        changes: [
          { field: 'lastName', before: null, after: '鈴木' },
          { field: 'firstName', before: null, after: '太郎' },
          { field: 'email', before: null, after: 'suzuki@example.jp' },
        ],
      },
      {
        status: 'updated',
        employeeCode: 'E2',
        attempts: 1,
        changes: [{ field: 'email', before: 'old@example.jp', after: 'new@example.jp' }],
      },
    ]);
    expect(target.calls[0]).toEqual([
      {
        op: 'create',
        employeeCode: 'E1',
        values: { employeeCode: 'E1', lastName: '鈴木', firstName: '太郎', email: 'suzuki@example.jp' },
      },
      { op: 'update', employeeCode: 'E2', changes: { email: 'new@example.jp' } },
    ]);
    expect(target.records.get('E2')?.email).toBe('new@example.jp');
    expect(events[0]).toEqual({ type: 'started', total: 2, batches: 1 });
    expect(events.at(-1)).toEqual({ type: 'finished', result });
    expect(ApplyResult.parse(JSON.parse(JSON.stringify(result)))).toEqual(result);
  });

  it('writes in batches of the write batch size and reports progress after each', async () => {
    const target = memoryTarget();
    const plan = planFor(
      codes(7).map((code) => person(code, '山田')),
      target,
    );
    const { events, result } = await collect(run(target, plan, { batchSize: 3 }));

    expect(target.calls.map((call) => call.length)).toEqual([3, 3, 1]);
    expect(events.filter((event) => event.type === 'batch-started')).toHaveLength(3);
    expect(events.filter((event) => event.type === 'progress')).toEqual([
      { type: 'progress', done: 3, total: 7 },
      { type: 'progress', done: 6, total: 7 },
      { type: 'progress', done: 7, total: 7 },
    ]);
    expect(events.filter((event) => event.type === 'outcome')).toHaveLength(7);
    expect(result.counts.created).toBe(7);
  });

  it('runs up to `concurrency` batches at once', async () => {
    const target = memoryTarget();
    const plan = planFor(
      codes(8).map((code) => person(code, '山田')),
      target,
    );
    const result = await applyAll(run(target, plan, { batchSize: 2, concurrency: 2 }));
    expect(result.counts.created).toBe(8);
    expect(target.maxInFlight).toBe(2);
  });

  it('reports an employee whose target moved since the preview as stale and does not write it', async () => {
    const target = memoryTarget([person('E1', '佐藤'), person('E2', '田中')]);
    const plan = planFor(
      [person('E1', '佐藤', 'a@example.jp'), person('E2', '田中', 'b@example.jp')],
      target,
    );
    (target.records.get('E1') as Employee).lastName = '加藤';

    const result = await applyAll(run(target, plan));
    expect(statusOf(result.outcomes, 'E1')).toBe('stale');
    expect(statusOf(result.outcomes, 'E2')).toBe('updated');
    expect(target.records.get('E1')).toEqual(person('E1', '加藤'));
    expect(target.calls.flat().map((write) => write.employeeCode)).toEqual(['E2']);
    expect(result.status).toBe('partially_failed');
  });

  it('counts a target that already holds the intended values as done without writing (resume)', async () => {
    const target = memoryTarget([person('E1', '佐藤', 'old@example.jp')]);
    const plan = planFor([person('E1', '佐藤', 'new@example.jp'), person('E2', '鈴木')], target);
    // The crashed run's writes were committed: the fingerprint moved, but to the intended values.
    target.records.set('E1', person('E1', '佐藤', 'new@example.jp'));
    target.records.set('E2', person('E2', '鈴木'));

    const result = await applyAll(run(target, plan));
    expect(result.outcomes.map((outcome) => [outcome.employeeCode, outcome.status])).toEqual([
      ['E1', 'updated'],
      ['E2', 'created'],
    ]);
    expect(result.outcomes.every((outcome) => 'alreadyInTarget' in outcome && outcome.alreadyInTarget)).toBe(
      true,
    );
    expect(target.calls).toEqual([]);
    expect(result.status).toBe('succeeded');
  });

  it('carries outcomes recorded before a crash and does not write those employees again', async () => {
    const target = memoryTarget();
    const plan = planFor([person('E1', '佐藤'), person('E2', '鈴木')], target);
    const recorded: EmployeeOutcome = {
      status: 'failed',
      employeeCode: 'E1',
      attempts: 2,
      error: { kind: 'validation', retryable: false, message: '不正な値です。' },
    };
    const result = await applyAll(run(target, plan, { alreadyDone: new Map([['E1', recorded]]) }));
    expect(result.outcomes[0]).toEqual(recorded);
    expect(statusOf(result.outcomes, 'E2')).toBe('created');
    expect(target.calls.flat().map((write) => write.employeeCode)).toEqual(['E2']);
  });

  it('after an answered ambiguous failure (a 500) looks the employees up and re-sends only those not written', async () => {
    const target = memoryTarget();
    const plan = planFor(
      codes(4).map((code) => person(code, '山田')),
      target,
    );
    // The call commits the first two creates, then the vendor answers 500: it has finished, so one
    // look-up is conclusive.
    target.script.push({
      error: new ConnectorError('transient', 'サーバーエラー', { ambiguous: true, status: 500 }),
      commit: 2,
    });

    const result = await applyAll(run(target, plan));
    expect(result.status).toBe('succeeded');
    expect(result.counts.created).toBe(4);
    expect([...target.creates.values()]).toEqual([1, 1, 1, 1]);
    expect(target.calls.map((call) => call.map((write) => write.employeeCode))).toEqual([
      codes(4),
      codes(4).slice(2),
    ]);
    expect(target.reads.length).toBeGreaterThanOrEqual(2);
  });

  it('never re-sends a create blind when the lookup after an ambiguous failure fails: 未確認', async () => {
    const target = memoryTarget();
    const plan = planFor([person('E1', '山田')], target);
    target.script.push({
      error: new ConnectorError('transient', '応答がありません。', { ambiguous: true }),
      commit: 1,
    });
    let reads = 0;
    target.onRead(() => {
      if (++reads === 2) throw new ConnectorError('auth', '認証に失敗しました。');
    });
    const result = await applyAll(run(target, plan));
    expect(result.outcomes[0]).toMatchObject({ status: 'ambiguous', error: { ambiguous: true } });
    expect(result.counts.ambiguous).toBe(1);
    expect(target.creates.get('E1')).toBe(1);
    expect(target.calls).toHaveLength(1);
  });

  const lostAnswer = () =>
    new ConnectorError('transient', '連携先から30秒以内に応答がありませんでした（POST /employees）。', {
      ambiguous: true,
    });

  it('re-checks a lost create with growing delays and finds a late commit: created once, never re-sent', async () => {
    const target = memoryTarget();
    const clock = createVirtualClock(0);
    const plan = planFor(
      codes(3).map((code) => person(code, '山田')),
      target,
    );
    // The vendor commits the whole call 45 s after the client gave up.
    target.script.push({ error: lostAnswer(), commit: 3, commitAfterMs: 45_000, clock });
    const result = await applyAll(run(target, plan, { clock }));
    expect(result.status).toBe('succeeded');
    expect(result.counts.created).toBe(3);
    expect([...target.creates.values()]).toEqual([1, 1, 1]);
    expect(target.calls).toHaveLength(1);
    // 0 s, then 2, 4, 8, 16, 32 s later: the look-up at 62 s finds them (not the one right away).
    expect(target.reads.length).toBe(1 + 6);
    expect(clock.now()).toBeGreaterThanOrEqual(45_000);
  });

  it('leaves a lost create 未確認 when the re-checks never find it, and does not send it again', async () => {
    const target = memoryTarget();
    const clock = createVirtualClock(0);
    const plan = planFor([person('E1', '山田'), person('E2', '佐藤')], target);
    // Commits E1 only, ten minutes later: past every re-check.
    target.script.push({ error: lostAnswer(), commit: 1, commitAfterMs: 600_000, clock });
    const result = await applyAll(run(target, plan, { clock, retry: { recheckWindowMs: 30_000 } }));
    expect(result.outcomes).toMatchObject([
      { employeeCode: 'E1', status: 'ambiguous', error: { ambiguous: true } },
      { employeeCode: 'E2', status: 'ambiguous' },
    ]);
    const [first] = result.outcomes;
    expect(first?.status === 'ambiguous' && first.message).toContain('未確認');
    expect(first?.status === 'ambiguous' && first.message).toContain('再送していません');
    expect(result.status).toBe('failed');
    expect(target.calls).toHaveLength(1);
    await clock.runAll();
    // What the vendor finally did is one create each at most: no duplicate.
    expect(target.creates.get('E1')).toBe(1);
    expect(target.creates.get('E2')).toBeUndefined();
  });

  // A gateway's 502/504, or a 2xx whose body could not be read, is an answer that does not show the
  // vendor has finished: it may commit later, so an empty look-up proves nothing (unlike a 500).
  const answeredButUnsettled = [
    {
      name: 'a 502 from a gateway',
      error: () =>
        new ConnectorError(
          'transient',
          '連携先のサーバーでエラーが発生しました。（POST /employees、HTTP 502）',
          {
            ambiguous: true,
            status: 502,
          },
        ),
    },
    {
      name: 'a 504 from a gateway',
      error: () =>
        new ConnectorError(
          'transient',
          '連携先のサーバーでエラーが発生しました。（POST /employees、HTTP 504）',
          {
            ambiguous: true,
            status: 504,
          },
        ),
    },
    {
      name: 'a 524 from a CDN (the origin timed out)',
      error: () =>
        new ConnectorError(
          'transient',
          '連携先のサーバーでエラーが発生しました。（POST /employees、HTTP 524）',
          {
            ambiguous: true,
            status: 524,
          },
        ),
    },
    {
      name: 'an unreadable 2xx',
      error: () =>
        new ConnectorError(
          'protocol',
          '連携先の応答をJSONとして読み取れませんでした（POST /employees、HTTP 200）。連携先では書き込まれた可能性があります。',
          { ambiguous: true, status: 200 },
        ),
    },
  ];

  it.each(answeredButUnsettled)(
    'after $name re-checks a create with growing delays and finds its late commit: never re-sent',
    async ({ error }) => {
      const target = memoryTarget();
      const clock = createVirtualClock(0);
      const plan = planFor(
        codes(2).map((code) => person(code, '山田')),
        target,
      );
      target.script.push({ error: error(), commit: 2, commitAfterMs: 5_000, clock });
      const result = await applyAll(run(target, plan, { clock }));
      expect(result.status).toBe('succeeded');
      expect(result.counts.created).toBe(2);
      expect([...target.creates.values()]).toEqual([1, 1]);
      expect(target.calls).toHaveLength(1);
    },
  );

  it.each(answeredButUnsettled)(
    'after $name leaves a create the re-checks never find 未確認, not sent again',
    async ({ error }) => {
      const target = memoryTarget();
      const clock = createVirtualClock(0);
      const plan = planFor([person('E1', '山田')], target);
      target.script.push({ error: error(), commit: 1, commitAfterMs: 600_000, clock });
      const result = await applyAll(run(target, plan, { clock, retry: { recheckWindowMs: 30_000 } }));
      expect(result.outcomes).toMatchObject([
        {
          employeeCode: 'E1',
          status: 'ambiguous',
          message: expect.stringContaining(`HTTP ${error().status}`),
        },
      ]);
      expect(result.counts.ambiguous).toBe(1);
      expect(target.calls).toHaveLength(1);
      await clock.runAll();
      expect(target.creates.get('E1')).toBe(1);
    },
  );

  it('says 書き込まれていません when the last attempt failed ambiguously and the look-up found nothing', async () => {
    const target = memoryTarget();
    const plan = planFor([person('E1', '山田')], target);
    // A 500 after the vendor processed the call: one look-up settles it (nothing was written).
    for (let i = 0; i < 3; i++) {
      target.script.push({
        error: new ConnectorError(
          'transient',
          '連携先のサーバーでエラーが発生しました。（POST /employees、HTTP 500） 連携先で処理が完了している可能性があるため、連携先のデータを確認してから再実行してください。',
          { ambiguous: true, status: 500 },
        ),
      });
    }
    const result = await applyAll(run(target, plan));
    const [outcome] = result.outcomes;
    expect(outcome).toMatchObject({
      status: 'failed',
      attempts: 3,
      error: { kind: 'transient', status: 500 },
    });
    if (outcome?.status !== 'failed') throw new Error('expected failed');
    expect(outcome.error.ambiguous).toBeUndefined();
    expect(outcome.error.message).toContain('書き込まれていない');
    expect(outcome.error.message).not.toContain('可能性');
    expect(target.calls).toHaveLength(3);
    expect(target.creates.get('E1')).toBeUndefined();
  });

  it('retries a retryable failure with backoff on the injected clock', async () => {
    const target = memoryTarget();
    const clock = createVirtualClock(0);
    const plan = planFor([person('E1', '山田')], target);
    target.script.push({
      error: new ConnectorError('rate_limited', '上限に達しました。', { retryAfterMs: 5_000 }),
    });
    const result = await applyAll(run(target, plan, { clock }));
    expect(result.outcomes[0]).toMatchObject({ status: 'created', attempts: 2 });
    expect(clock.now()).toBeGreaterThanOrEqual(5_000);
  });

  it('splits a batch that keeps failing so a persistent fault fails only its employee', async () => {
    const target = memoryTarget();
    const all = codes(8);
    const plan = planFor(
      all.map((code) => person(code, '山田')),
      target,
    );
    target.poisoned.add('E105');
    const result = await applyAll(run(target, plan, { batchSize: 8, retry: { maxAttempts: 2 } }));

    expect(result.outcomes.filter((outcome) => outcome.status === 'failed')).toEqual([
      expect.objectContaining({
        employeeCode: 'E105',
        error: expect.objectContaining({ kind: 'transient' }),
      }),
    ]);
    expect(result.counts.created).toBe(7);
    expect(result.status).toBe('partially_failed');
    // log2(8) splits, each costing at most maxAttempts calls on the failing side.
    expect(target.calls.length).toBeLessThanOrEqual(2 * 4 + 3);
    expect([...target.creates.values()].every((count) => count === 1)).toBe(true);
  });

  it('splits a call refused as a whole (validation) so only the offending employee fails', async () => {
    const target = memoryTarget();
    const inner = target.session.writeEmployees;
    target.session.writeEmployees = async (area, writes) => {
      if (writes.some((write) => write.employeeCode === 'E103')) {
        throw new ConnectorError('validation', '社員コード「E103」の形式が正しくありません。', {
          status: 400,
        });
      }
      return inner(area, writes);
    };
    const plan = planFor(
      codes(10).map((code) => person(code, '山田')),
      target,
    );
    const result = await applyAll(run(target, plan, { batchSize: 10 }));

    expect(result.outcomes.filter((outcome) => outcome.status === 'failed')).toEqual([
      expect.objectContaining({
        employeeCode: 'E103',
        error: expect.objectContaining({
          kind: 'validation',
          message: '社員コード「E103」の形式が正しくありません。',
        }),
      }),
    ]);
    expect(result.counts.created).toBe(9);
    expect(result.status).toBe('partially_failed');
  });

  it('fails the employees of a call that throws a non-retryable error, with its kind and message', async () => {
    const target = memoryTarget();
    const plan = planFor([person('E1', '山田'), person('E2', '田中')], target);
    target.script.push({ error: new ConnectorError('auth', '認証情報が無効です。') });
    const result = await applyAll(run(target, plan));
    expect(target.calls).toHaveLength(1);
    for (const outcome of result.outcomes) {
      expect(outcome).toMatchObject({
        status: 'failed',
        attempts: 1,
        error: { kind: 'auth', message: '認証情報が無効です。' },
      });
    }
    expect(result.status).toBe('failed');
  });

  it('fails only the employee a per-record result rejects', async () => {
    const target = memoryTarget();
    const plan = planFor([person('E1', '山田'), person('E2', '田中')], target);
    target.rejected.set('E1', {
      kind: 'validation',
      retryable: false,
      message: 'メールアドレスの形式が正しくありません。',
    });
    const result = await applyAll(run(target, plan));
    expect(result.outcomes).toEqual([
      expect.objectContaining({
        status: 'failed',
        employeeCode: 'E1',
        error: expect.objectContaining({ kind: 'validation' }),
      }),
      expect.objectContaining({ status: 'created', employeeCode: 'E2' }),
    ]);
    expect(result.status).toBe('partially_failed');
  });

  it('stops between batches when cancelled: the rest are not attempted', async () => {
    const target = memoryTarget();
    const plan = planFor(
      codes(6).map((code) => person(code, '山田')),
      target,
    );
    const controller = new AbortController();
    const events: ApplyEvent[] = [];
    const generator = run(target, plan, { batchSize: 2, signal: controller.signal });
    let result: ApplyResult | undefined;
    for (;;) {
      const step = await generator.next();
      if (step.done) {
        result = step.value;
        break;
      }
      events.push(step.value);
      if (step.value.type === 'progress') controller.abort();
    }
    expect(target.calls).toHaveLength(1);
    expect(result.status).toBe('cancelled');
    expect(result.counts).toMatchObject({ created: 2, not_attempted: 4 });
  });

  it('reports an employee as not attempted when cancelled while its write waits to be retried', async () => {
    const target = memoryTarget();
    const clock = createVirtualClock(0, { autoAdvance: false });
    const plan = planFor([person('E1', '山田'), person('E2', '田中')], target);
    target.script.push({
      error: new ConnectorError('rate_limited', '上限に達しました。', { retryAfterMs: 60_000 }),
    });
    const controller = new AbortController();
    const result = applyAll(run(target, plan, { clock, signal: controller.signal }));
    while (clock.pending === 0) await new Promise((resolve) => setTimeout(resolve, 1));
    controller.abort();
    const { status, counts, outcomes } = await result;
    expect(status).toBe('cancelled');
    expect(counts).toMatchObject({ not_attempted: 2, failed: 0 });
    expect(outcomes[0]).toEqual({
      status: 'not_attempted',
      employeeCode: 'E1',
      message: '連携が中止されたため書き込みませんでした。',
    });
    expect(target.calls).toHaveLength(1);
    expect(target.records.size).toBe(0);
  });

  it('reports a batch as not attempted when cancelled while its stale check waits to read again', async () => {
    const target = memoryTarget();
    const clock = createVirtualClock(0, { autoAdvance: false });
    const plan = planFor([person('E1', '山田')], target);
    target.onRead(() => {
      throw new ConnectorError('transient', '連携先のサーバーでエラーが発生しました。', { status: 503 });
    });
    const controller = new AbortController();
    const result = applyAll(run(target, plan, { clock, signal: controller.signal }));
    while (clock.pending === 0) await new Promise((resolve) => setTimeout(resolve, 1));
    controller.abort();
    const { status, outcomes } = await result;
    expect(status).toBe('cancelled');
    expect(outcomes.map((outcome) => outcome.status)).toEqual(['not_attempted']);
    expect(target.calls).toEqual([]);
  });

  it('fails a batch whose stale check cannot read the target, writing nothing', async () => {
    const target = memoryTarget();
    const plan = planFor([person('E1', '山田'), person('E2', '田中')], target);
    target.onRead(() => {
      throw new ConnectorError('auth', '認証に失敗しました。');
    });
    const result = await applyAll(run(target, plan));
    expect(target.calls).toEqual([]);
    expect(result.outcomes.map((outcome) => outcome.status)).toEqual(['failed', 'failed']);
    expect(result.outcomes[0]).toMatchObject({ attempts: 0, error: { kind: 'auth' } });
    expect(result.status).toBe('failed');
  });

  it('does not write over a target record it cannot read', async () => {
    const target = memoryTarget([person('E1', '佐藤')]);
    const plan = planFor([person('E1', '佐藤', 'a@example.jp')], target);
    const getEmployees = target.session.getEmployees;
    target.session.getEmployees = async () => [
      {
        ok: false,
        employeeCode: 'E1',
        issues: [{ field: 'birthDate', message: '日付が正しくありません。' }],
      },
    ];
    const result = await applyAll(run(target, plan));
    target.session.getEmployees = getEmployees;
    expect(target.calls).toEqual([]);
    expect(result.outcomes[0]).toMatchObject({ status: 'failed', error: { kind: 'validation' } });
  });

  it('skips unknown, unselectable and unchanged codes with a reason', async () => {
    const target = memoryTarget([person('E2', '田中')]);
    const plan = planFor([person('E1', '山田'), person('E2', '田中')], target);
    plan.entries.push({
      employeeCode: 'E3',
      status: 'invalid',
      changes: [],
      issues: [{ field: 'birthDate', message: '日付が正しくありません。' }],
      fingerprint: null,
      selectable: false,
    });
    const result = await applyAll(run(target, plan, { selection: ['E9', 'E3', 'E2', 'E1', 'E1'] }));
    expect(
      result.outcomes.map((outcome) => [
        outcome.employeeCode,
        outcome.status,
        'reason' in outcome ? outcome.reason : undefined,
      ]),
    ).toEqual([
      ['E1', 'created', undefined],
      ['E2', 'skipped', 'unchanged'],
      ['E3', 'skipped', 'not_selectable'],
      ['E9', 'skipped', 'unknown'],
    ]);
    expect(result.status).toBe('succeeded');
  });

  it('sends only fields the target writes, and null to clear under mirror', async () => {
    const target = memoryTarget([person('E1', '佐藤', 'old@example.jp')]);
    const plan = planFor([person('E1', '佐藤')], target);
    const entry = plan.entries[0] as PlanEntry;
    entry.status = 'changed';
    entry.changes = [
      { field: 'email', before: 'old@example.jp', after: null },
      { field: 'phone', before: null, after: '03-1234-5678' },
    ];
    const result = await applyAll(run(target, plan));
    expect(target.calls[0]).toEqual([{ op: 'update', employeeCode: 'E1', changes: { email: null } }]);
    expect(target.records.get('E1')).toEqual(person('E1', '佐藤'));
    expect(result.outcomes[0]).toMatchObject({
      status: 'updated',
      changes: [{ field: 'email', before: 'old@example.jp', after: null }],
    });
  });
});

describe('runStatus', () => {
  const counts = { created: 0, updated: 0, stale: 0, failed: 0, ambiguous: 0, skipped: 0, not_attempted: 0 };
  it('is honest about what happened', () => {
    expect(runStatus({ ...counts, created: 2, skipped: 1 })).toBe('succeeded');
    expect(runStatus({ ...counts })).toBe('succeeded');
    expect(runStatus({ ...counts, updated: 1, failed: 1 })).toBe('partially_failed');
    expect(runStatus({ ...counts, updated: 1, stale: 1 })).toBe('partially_failed');
    expect(runStatus({ ...counts, failed: 2 })).toBe('failed');
    expect(runStatus({ ...counts, stale: 1 })).toBe('failed');
    expect(runStatus({ ...counts, created: 5, not_attempted: 1 })).toBe('cancelled');
    expect(runStatus({ ...counts, created: 5, ambiguous: 1 })).toBe('partially_failed');
    expect(runStatus({ ...counts, ambiguous: 1 })).toBe('failed');
  });
});

describe('apply with a per-area 社員番号 key (zero-padded areas)', () => {
  const pad = (code: string) => code.padStart(6, '0');
  const strip = (code: string) => (/^\d+$/.test(code) ? code.replace(/^0+(?=\d)/, '') : code);

  /** The memory target seen through a vendor that stores and answers padded codes only. */
  function paddedTarget(initial: Employee[]) {
    const target = memoryTarget(
      initial.map((employee) => ({ ...employee, employeeCode: pad(employee.employeeCode) })),
    );
    const inner = target.session;
    const session: ConnectorSession = {
      ...inner,
      employeeCodeKey: () => strip,
      getEmployees: (area, codes) => inner.getEmployees(area, codes.map(pad)),
      writeEmployees: (area, writes) =>
        inner.writeEmployees(
          area,
          writes.map((write) =>
            write.op === 'create'
              ? {
                  ...write,
                  employeeCode: pad(write.employeeCode),
                  values: { ...write.values, employeeCode: pad(write.employeeCode) },
                }
              : { ...write, employeeCode: pad(write.employeeCode) },
          ),
        ),
    };
    return { ...target, session };
  }

  it('matches 123 to the stored 000123: updated, not stale, and no second record', async () => {
    const target = paddedTarget([person('123', '山田', 'a@example.jp')]);
    const plan = planFor([person('000123', '佐藤', 'a@example.jp')], target);
    plan.entries[0] = { ...(plan.entries[0] as PlanEntry), employeeCode: '123' };
    const result = await applyAll(run(target, plan));
    expect(result.outcomes.map((outcome) => [outcome.employeeCode, outcome.status])).toEqual([
      ['123', 'updated'],
    ]);
    expect([...target.records.keys()]).toEqual(['000123']);
    expect(target.records.get('000123')?.lastName).toBe('佐藤');
  });

  it('updates an exact-match target (an HR master holding 123) under its own code for a padded source entry', async () => {
    const target = memoryTarget([person('123', '山田', 'a@example.jp'), person('456', '鈴木')]);
    const listed = (employees: Employee[]) => employees.map((employee) => ({ ok: true as const, employee }));
    const plan = planOf(
      {
        fields: TARGET_FIELDS,
        records: listed([person('000123', '佐藤', 'a@example.jp'), person('000789', '田中')]),
      },
      { fields: TARGET_FIELDS, records: listed([...target.records.values()]) },
      { codeKey: strip },
    );
    expect(plan.entries.map((entry) => [entry.employeeCode, entry.status, entry.targetEmployeeCode])).toEqual(
      [
        ['000123', 'changed', '123'],
        ['000789', 'new', undefined],
      ],
    );
    const result = await applyAll(run(target, plan));
    expect(result.outcomes.map((outcome) => [outcome.employeeCode, outcome.status])).toEqual([
      ['000123', 'updated'],
      ['000789', 'created'],
    ]);
    expect(target.reads).toEqual([['123', '000789']]);
    expect(target.calls).toEqual([
      [
        { op: 'update', employeeCode: '123', changes: { lastName: '佐藤' } },
        {
          op: 'create',
          employeeCode: '000789',
          values: { employeeCode: '000789', lastName: '田中', firstName: '太郎' },
        },
      ],
    ]);
    expect([...target.records.keys()]).toEqual(['123', '456', '000789']);
    expect(target.records.get('123')?.lastName).toBe('佐藤');
  });

  it('resolves a lost update answer by reading the target under its own code', async () => {
    const target = memoryTarget([person('123', '山田')]);
    const listed = (employees: Employee[]) => employees.map((employee) => ({ ok: true as const, employee }));
    const plan = planOf(
      { fields: TARGET_FIELDS, records: listed([person('000123', '佐藤')]) },
      { fields: TARGET_FIELDS, records: listed([...target.records.values()]) },
      { codeKey: strip },
    );
    target.script.push({
      error: new ConnectorError('transient', '応答がありませんでした。', { ambiguous: true }),
      commit: 1,
    });
    const result = await applyAll(run(target, plan));
    expect(result.outcomes).toMatchObject([{ employeeCode: '000123', status: 'updated' }]);
    expect(target.reads).toEqual([['123'], ['123']]);
    expect(target.calls).toHaveLength(1);
    expect([...target.records.keys()]).toEqual(['123']);
  });
});

describe('apply — orgRefMatch', () => {
  const DEPARTMENT: ConnectorFields = { lastName: 'readWrite', department: 'readWrite' };
  const listed = (employees: Employee[]) => employees.map((employee) => ({ ok: true as const, employee }));

  /** Plans 佐藤 (人事部, HR's code D1) onto the target, then the target recodes its 人事部 120 → 121. */
  async function recodedBeforeApply(orgRefMatch: 'code' | 'name') {
    const target = memoryTarget([
      { employeeCode: 'E1', lastName: '山田', department: { code: '120', name: '人事部' } },
    ]);
    const plan = planOf(
      {
        fields: DEPARTMENT,
        records: listed([
          { employeeCode: 'E1', lastName: '佐藤', department: { code: 'D1', name: '人事部' } },
        ]),
      },
      { fields: DEPARTMENT, records: listed([...target.records.values()]) },
      { orgRefMatch },
    );
    (target.records.get('E1') as Employee).department = { code: '121', name: '人事部' };
    return { target, plan, result: await applyAll(run(target, plan)) };
  }

  it('name: a target-side code change alone is no move (the stale check fingerprints as plan did)', async () => {
    const { target, plan, result } = await recodedBeforeApply('name');
    expect(plan.orgRefMatch).toBe('name');
    expect(plan.entries[0]?.changes).toEqual([{ field: 'lastName', before: '山田', after: '佐藤' }]);
    expect(statusOf(result.outcomes, 'E1')).toBe('updated');
    expect(target.records.get('E1')?.lastName).toBe('佐藤');
  });

  it('code: the same recoding is a move, reported stale and not written', async () => {
    const { target, result } = await recodedBeforeApply('code');
    expect(statusOf(result.outcomes, 'E1')).toBe('stale');
    expect(target.records.get('E1')?.lastName).toBe('山田');
  });
});

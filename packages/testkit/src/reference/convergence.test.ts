import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createContractRunner } from '../contract/harness.ts';
import { restrictTo } from '../contract/restrict.ts';
import type { FaultSpec } from '../faults.ts';
import { drift, generateEmployees } from '../generate/index.ts';
import { referenceConnector } from './connector.ts';
import { createReferenceFake, REFERENCE_CLIENT } from './fake/index.ts';

const runner = createContractRunner({
  connector: referenceConnector,
  createFake: ({ clock }) => createReferenceFake({ clock }),
  credentials: { valid: REFERENCE_CLIENT, invalid: REFERENCE_CLIENT },
});
beforeAll(() => runner.listen());
afterAll(() => runner.close());

/**
 * Faults a sync must ride out: each bounded, so retries can always get through. A token-expired
 * answer comes at most once per request (a second one in a row is a broken login, not a transient fault).
 */
const transientFault: fc.Arbitrary<FaultSpec> = fc.oneof(
  fc.record({
    kind: fc.constantFrom(
      'rate_limit',
      'server_error',
      'network_error',
      'timeout_after_commit',
      'delay',
    ) as fc.Arbitrary<FaultSpec['kind']>,
    scope: fc.constantFrom('read', 'write', 'any') as fc.Arbitrary<FaultSpec['scope']>,
    times: fc.integer({ min: 1, max: 2 }),
    retryAfterSeconds: fc.integer({ min: 1, max: 30 }),
    delayMs: fc.integer({ min: 0, max: 5_000 }),
  }),
  fc.record({
    kind: fc.constant('expired_token' as const),
    scope: fc.constantFrom('read', 'write') as fc.Arbitrary<FaultSpec['scope']>,
    times: fc.constant(1),
  }),
);

describe('plan → apply → plan converges', () => {
  it('after apply under random transient faults, every selected employee is 差分なし and held once', async () => {
    // Across the runs, faults were really served and employees really written.
    let faultsServed = 0;
    let written = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.record({
          seed: fc.integer({ min: 1, max: 1_000_000 }),
          sourceSize: fc.integer({ min: 1, max: 60 }),
          /** Share of the source the target already holds (drifted). */
          held: fc.double({ min: 0, max: 1, noNaN: true }),
          targetOnly: fc.integer({ min: 0, max: 5 }),
          selectShare: fc.double({ min: 0.2, max: 1, noNaN: true }),
          faults: fc.uniqueArray(transientFault, {
            maxLength: 4,
            selector: (fault) => `${fault.kind}:${fault.scope}`,
          }),
        }),
        async ({ seed, sourceSize, held, targetOnly, selectShare, faults }) => {
          const { env, dispose } = runner.open();
          try {
            const fields = [...new Set([...env.readable, ...env.writable])];
            const source = generateEmployees({ count: sourceSize, seed });
            const heldCount = Math.round(sourceSize * held);
            const drifted = drift(source.slice(0, heldCount), {
              seed: seed + 1,
              changed: 0.5,
              added: 0,
              cosmetic: 0.3,
            });
            const others = generateEmployees({ count: targetOnly, seed: seed + 2, codePrefix: 'T' });
            await env.fake.seed(
              env.area,
              [...drifted.employees, ...others].map((employee) => restrictTo(employee, fields)),
            );

            const session = await env.connect();
            const before = await env.planTo(session, source);
            const selectable = before.entries
              .filter((entry) => entry.selectable)
              .map((entry) => entry.employeeCode);
            const selection = selectable.filter(
              (_, index) => (index * 7919 + seed) % 100 < selectShare * 100,
            );

            for (const fault of faults) env.fake.faults.inject(fault);
            const result = await env.applyPlan(session, before, selection);
            env.fake.faults.clear();
            faultsServed += Object.values(env.fake.faults.served).reduce((sum, count) => sum + count, 0);
            written += result.counts.created + result.counts.updated;

            // A write whose answer never came and that the re-checks did not find is 未確認, never
            // re-sent blind: the next plan settles it (a create that never landed is 新規登録 again).
            const unconfirmed = result.outcomes
              .filter((outcome) => outcome.status === 'ambiguous')
              .map((outcome) => outcome.employeeCode);
            expect(
              result.outcomes.filter(
                (outcome) => !['created', 'updated', 'skipped', 'ambiguous'].includes(outcome.status),
              ),
            ).toEqual([]);
            if (unconfirmed.length > 0) {
              const settled = await env.applyPlan(session, await env.planTo(session, source), unconfirmed);
              expect(settled.status).toBe('succeeded');
            } else expect(result.status).toBe('succeeded');
            const after = await env.planTo(session, source);
            const status = new Map(after.entries.map((entry) => [entry.employeeCode, entry.status]));
            for (const code of selection) expect(status.get(code), code).toBe('unchanged');
            const codes = (await env.fake.records(env.area)).map((employee) => employee.employeeCode);
            expect(codes.length).toBe(new Set(codes).size);
            expect(env.fake.overLimitCount).toBe(0);
          } finally {
            await dispose();
          }
        },
      ),
      { numRuns: 50, seed: 20261123 },
    );
    expect(faultsServed).toBeGreaterThan(20);
    expect(written).toBeGreaterThan(200);
    // Fifty syncs, some re-checking lost writes over a minute of virtual time: room on a busy machine.
  }, 60_000);
});

import {
  apply,
  applyAll,
  type ConnectorFields,
  createVirtualClock,
  type Employee,
  FIELD_KEYS,
  plan,
  silentLogger,
  type VirtualClock,
} from '@renkei/core';
import { generateEmployees, seededRandom } from '@renkei/testkit';
import { setupServer } from 'msw/node';
import { expect, it } from 'vitest';
import type { definePcaConnector } from '../connector.ts';
import type { PcaFake } from '../fake/index.ts';
import { FAKE_CREDENTIALS } from '../fake/seed.ts';
import type { PcaProduct } from '../product.ts';

type PcaConnector = ReturnType<typeof definePcaConnector>;
type CreateFake = (options: { clock: VirtualClock }) => PcaFake;

/** The HR master reads every canonical field. */
const HR_FIELDS: ConnectorFields = Object.fromEntries(FIELD_KEYS.map((key) => [key, 'read']));

/** Employees PCA cannot hold, and why (性別 must be 男/女; 預金種目 普通/当座; the product's accounts). */
export function unholdable(employee: Employee, product: PcaProduct): string | undefined {
  if (employee.gender === 'unspecified') return '性別';
  if (employee.bankAccounts?.some((account) => account.accountType === 'savings')) return '預金種目';
  if ((employee.bankAccounts?.length ?? 0) > product.bankAccountSlots) return '給与振込口座';
  return undefined;
}

/**
 * Done-when of the PCA connectors: 1,000 generated employees HR → PCA with `apply()` on a virtual
 * clock, not one request over PCA's limits, then planning again shows 差分なし for every one written.
 */
export function itSyncsAThousandEmployees(
  connector: PcaConnector,
  product: PcaProduct,
  createFake: CreateFake,
) {
  it('syncs 1,000 generated employees within the limits, then re-plans 差分なし', async () => {
    const clock = createVirtualClock(Date.UTC(2026, 3, 1), { idleTurns: 20 });
    const fake = createFake({ clock });
    const area = fake.dataAreas()[1] as string;
    const server = setupServer(...fake.handlers);
    server.listen({ onUnhandledFrame: 'error' });
    const session = await connector.connect(connector.credentials.parse(FAKE_CREDENTIALS), {
      fetch: (input, init) => globalThis.fetch(input, init),
      logger: silentLogger,
      signal: new AbortController().signal,
      clock,
      random: seededRandom(3),
    });
    try {
      const hr = generateEmployees({ count: 1000, seed: 20260401 });
      const planTo = async () => {
        const target = [];
        for await (const listed of session.listEmployees(area)) target.push(listed);
        return plan(
          { fields: HR_FIELDS, records: hr.map((employee) => ({ ok: true as const, employee })) },
          { fields: connector.fields, records: target },
        );
      };
      const first = await planTo();
      expect(first.summary.new).toBe(1000);
      const selection = first.entries.filter((entry) => entry.selectable).map((entry) => entry.employeeCode);
      const result = await applyAll(
        apply(first, selection, { session, area, definition: connector }, { clock, random: seededRandom(5) }),
      );

      const refused = new Map(
        hr.flatMap((employee) => {
          const reason = unholdable(employee, product);
          return reason ? [[employee.employeeCode, reason] as const] : [];
        }),
      );
      expect(fake.overLimitCount).toBe(0);
      expect(result.counts.created).toBe(1000 - refused.size);
      const failed = result.outcomes.filter((outcome) => outcome.status === 'failed');
      expect(failed.map((outcome) => outcome.employeeCode).sort()).toEqual([...refused.keys()].sort());
      for (const outcome of failed) {
        expect(outcome.status === 'failed' && outcome.error.message).toContain(
          refused.get(outcome.employeeCode),
        );
      }

      const again = await planTo();
      expect(again.summary).toMatchObject({ new: refused.size, changed: 0, unchanged: 1000 - refused.size });
    } finally {
      await session.close();
      server.close();
    }
    expect(fake.activeLicences()).toBe(0);
  });
}

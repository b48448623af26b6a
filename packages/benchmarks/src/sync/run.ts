import {
  apply,
  applyAll,
  type ConnectorFields,
  type ConnectorSession,
  createVirtualClock,
  type Employee,
  FIELD_KEYS,
  type ListedEmployee,
  type PlanStatus,
  plan,
  silentLogger,
} from '@renkei/core';
import { drift, generateEmployees, seededRandom } from '@renkei/testkit/fakes';
import { setupServer } from 'msw/node';
import { bindingLimit, type LimitUsage } from './limits.ts';
import { naivelyPaced, withLatency } from './pacing.ts';
import type { Vendor } from './vendors.ts';

/** `limiter`: the connector as shipped (core's rate limiter). `naive`: the baseline client. */
export type Pacing = 'limiter' | 'naive';

export interface PassResult {
  pass: 'create' | 'update';
  selected: number;
  written: number;
  failed: number;
  /** Virtual time from the first to the last moment of apply(). */
  vendorMs: number;
  /** Real time apply() took on this machine. */
  wallMs: number;
  requests: number;
  binding: LimitUsage;
  /** Requests the fake refused as over its limits. */
  overLimit: number;
  /** 429 answers the client received (no faults are injected, so every one is the client's doing). */
  tooManyRequests: number;
  employeesPerMinute: number;
}

export interface SyncOptions {
  count: number;
  pacing: Pacing;
  /** Virtual round-trip time of every request. */
  latencyMs: number;
  seed?: number;
}

/** The HR master reads every field. */
const HR_FIELDS: ConnectorFields = Object.fromEntries(FIELD_KEYS.map((key) => [key, 'read']));
const START = Date.UTC(2026, 3, 1);

/**
 * HR → vendor with apply() on a virtual clock: `count` generated employees created, then every one
 * of them drifted and the changes written (the update pass). Each pass is planned against what the
 * vendor holds, then the clock moves one longest interval on, so the listing's requests do not
 * count in the pass's windows.
 */
export async function syncPasses(vendor: Vendor, options: SyncOptions): Promise<PassResult[]> {
  const seed = options.seed ?? 20260401;
  // Idle detection needs more turns than MSW takes to answer, or time would move mid-request.
  const clock = createVirtualClock(START, { idleTurns: 20 });
  const fake = vendor.createFake(clock);
  const server = setupServer(...fake.handlers);
  server.listen({ onUnhandledFrame: 'error' });
  const { definition } = vendor;
  const network = withLatency((input, init) => globalThis.fetch(input, init), clock, options.latencyMs);
  const fetch =
    options.pacing === 'naive' ? naivelyPaced(network, clock, fake, definition.limits.rateLimits) : network;
  const longestInterval = Math.max(...definition.limits.rateLimits.map((limit) => limit.intervalMs));
  const random = seededRandom(seed);
  let session: ConnectorSession | undefined;
  try {
    session = await definition.connect(definition.credentials.parse(vendor.credentials), {
      fetch,
      logger: silentLogger,
      signal: new AbortController().signal,
      clock,
      random,
    });
    const open = session;
    const area = vendor.area(fake);

    const pass = async (name: PassResult['pass'], hr: readonly Employee[], status: PlanStatus) => {
      const listed: ListedEmployee[] = [];
      for await (const record of open.listEmployees(area)) listed.push(record);
      const planned = plan(
        { fields: HR_FIELDS, records: hr.map((employee) => ({ ok: true, employee })) },
        { fields: definition.fields, records: listed },
      );
      const selection = planned.entries
        .filter((entry) => entry.selectable && entry.status === status)
        .map((entry) => entry.employeeCode);
      await clock.advance(longestInterval);

      const firstRequest = fake.requests.length;
      const overLimitBefore = fake.overLimitCount;
      const wallStart = performance.now();
      const result = await applyAll(
        apply(planned, selection, { session: open, area, definition }, { clock, random }),
      );
      const wallMs = performance.now() - wallStart;
      const arrivals = fake.requests.slice(firstRequest);
      const vendorMs = result.finishedAt - result.startedAt;
      const written = result.counts.created + result.counts.updated;
      return {
        pass: name,
        selected: selection.length,
        written,
        failed: result.counts.failed + result.counts.stale,
        vendorMs,
        wallMs,
        requests: arrivals.length,
        binding: bindingLimit(arrivals, definition.limits.rateLimits, vendorMs),
        overLimit: fake.overLimitCount - overLimitBefore,
        tooManyRequests: arrivals.filter((arrival) => arrival.status === 429).length,
        employeesPerMinute: vendorMs > 0 ? written / (vendorMs / 60_000) : Number.POSITIVE_INFINITY,
      } satisfies PassResult;
    };

    const hr = generateEmployees({ count: options.count, seed });
    const created = await pass('create', hr, 'new');
    const moved = drift(hr, { seed: seed + 1, changed: 1, added: 0 }).employees;
    const updated = await pass('update', moved, 'changed');
    return [created, updated];
  } finally {
    await session?.close();
    server.close();
  }
}

import type { Clock, Employee, FieldKey } from '@renkei/core';
import type { RequestHandler } from 'msw';
import type { FaultInjector } from './faults.ts';

/** One request the fake answered, for limit checks (time on the fake's clock). */
export interface FakeRequestRecord {
  method: string;
  url: string;
  /** The vendor's own classification, as its rate limiter counts it. */
  requestClass: 'auth' | 'read' | 'write';
  time: number;
  status: number;
}

/**
 * What every stateful vendor fake exposes to tests, the contract suite, benchmarks and the demo.
 * Stores are per data area; connectors without areas use the implicit area `default`.
 */
export interface FakeVendor {
  /** MSW handlers implementing the vendor API on top of the store. */
  readonly handlers: RequestHandler[];
  readonly faults: FaultInjector;
  readonly clock: Clock;
  /** Every request answered, in order. */
  readonly requests: readonly FakeRequestRecord[];
  /** Requests the fake refused with 429 because they were over its limits (not injected faults). */
  readonly overLimitCount: number;
  /**
   * Requests refused only because they arrived inside the Retry-After of an injected 429 (those
   * already in flight when it was answered included): the injected fault's doing, not over a limit.
   */
  readonly insideRetryAfterCount: number;
  /** Data area ids the fake holds (at least one). */
  dataAreas(): string[];
  /** Puts canonical employees into an area, through the vendor's own representation. */
  seed(area: string, employees: readonly Employee[]): void;
  /**
   * Optional: stores a record the connector cannot read as a canonical employee (e.g. an impossible
   * date), so the contract suite can check that one bad record is reported, not thrown.
   */
  seedInvalid?(area: string, employeeCode: string): void;
  /** What the vendor holds, read back as canonical employees (vendor → canonical). */
  records(area: string): Employee[];
  /** Canonical fields that have appeared in write payloads so far (to catch undeclared fields). */
  writtenFields(): ReadonlySet<FieldKey>;
  /** Empties every store, the request log and the faults. */
  reset(): void;
}

/**
 * A fake whose vendor-held state (records, masters, logins) can leave the process as JSON and come
 * back, so a fake served over HTTP or by the demo survives a restart.
 */
export interface PersistableFake {
  /** The state as plain JSON (no Maps, no functions). */
  snapshot(): unknown;
  /** Replaces the state with a snapshot; throws when it is not one this fake wrote. */
  restore(snapshot: unknown): void;
}

export interface FakeOptions {
  clock?: Clock;
}

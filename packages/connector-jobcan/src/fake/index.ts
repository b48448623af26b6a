import { type Employee, IMPLICIT_DATA_AREA, systemClock } from '@renkei/core';
import {
  createFakeGateway,
  createTokenStore,
  type FakeOptions,
  type FakeVendor,
  type PersistableFake,
} from '@renkei/testkit/fakes';
import { z } from 'zod';
import type { JobcanEmployee } from '../api.ts';
import { ENVIRONMENTS, type JobcanCredentials } from '../connector.ts';
import { toListedEmployee } from '../mapper.ts';
import { JOBCAN, type JobcanScope } from '../vendor.ts';
import { createHandlers, type FakeState, jobcanAnswers } from './handlers.ts';
import { FAKE_CREDENTIALS, GROUP_MASTER, toSeedBody, workKindMaster } from './seed.ts';
import { createStaffStore } from './store.ts';

export { FAKE_CREDENTIALS } from './seed.ts';

export interface JobcanFakeOptions extends FakeOptions {
  /** Which of Jobcan's hosts the fake serves (default 本番). */
  environment?: JobcanCredentials['environment'];
  /** スタッフ種別 added to Jobcan's defaults, as an admin would register them. */
  workKinds?: readonly string[];
  /** Scopes the API client was granted (default all). */
  scopes?: readonly JobcanScope[];
}

export interface JobcanFake extends FakeVendor, PersistableFake {
  /** Tokens issued so far (one per scope, plus one per refresh). */
  readonly tokensIssued: number;
  /** Stores a record with an impossible 生年月日, as if it had got into Jobcan by other means. */
  seedInvalid(area: string, employeeCode: string): void;
}

/** What a snapshot holds: the staff as stored (unchecked, as `insert` stores it) and the tokens. */
const JobcanSnapshot = z.object({
  records: z.array(z.looseObject({ id: z.number().int().positive(), code: z.string() })),
  nextId: z.number().int().positive(),
  tokens: z.array(
    z.tuple([z.string(), z.object({ grant: z.object({ scope: z.string() }), expiresAt: z.number() })]),
  ),
  tokensIssued: z.number().int().nonnegative(),
});

/**
 * ジョブカン勤怠管理's API as a stateful MSW fake: client-credentials tokens per scope that expire
 * on the fake's clock, keyset paging, staff validated as Jobcan does, its masters, its rate limit,
 * and the testkit's faults rendered the Jobcan way. The one data area is `default`.
 */
export function createJobcanFake(options: JobcanFakeOptions = {}): JobcanFake {
  const workKinds = workKindMaster(options.workKinds);
  const clock = options.clock ?? systemClock;
  const tokens = createTokenStore<{ scope: string }>(clock);
  const state: FakeState = {
    clock,
    hosts: JOBCAN.hosts[ENVIRONMENTS[options.environment ?? '本番']],
    client: { ...FAKE_CREDENTIALS, scopes: options.scopes ?? Object.values(JOBCAN.scopes) },
    store: createStaffStore({ workKinds, groups: GROUP_MASTER }),
    gateway: createFakeGateway({ clock, rateLimits: [JOBCAN.rateLimit], answers: jobcanAnswers(tokens) }),
    tokens,
    tokensIssued: 0,
    writtenFields: new Set(),
  };
  const { store, gateway } = state;
  const onlyArea = (area: string) => {
    if (area !== IMPLICIT_DATA_AREA.id) throw new Error(`jobcan fake: unknown area ${area}`);
  };

  return {
    handlers: createHandlers(state),
    faults: gateway.faults,
    clock,
    get requests() {
      return gateway.requests;
    },
    get overLimitCount() {
      return gateway.overLimitCount;
    },
    get tokensIssued() {
      return state.tokensIssued;
    },
    dataAreas: () => [IMPLICIT_DATA_AREA.id],
    seed(area, employees: readonly Employee[]) {
      onlyArea(area);
      for (const employee of employees) {
        const stored = store.create(toSeedBody(employee, workKinds));
        if (!stored.ok)
          throw new Error(`jobcan fake: cannot seed ${employee.employeeCode}: ${stored.refusal.message}`);
      }
    },
    seedInvalid(area, employeeCode) {
      onlyArea(area);
      const body = toSeedBody({ employeeCode, lastName: '不正', firstName: '日付' }, workKinds);
      const stored = store.create(body);
      if (stored.ok) stored.record.birthday = '1990-02-30';
    },
    records(area) {
      onlyArea(area);
      return store.list().flatMap((record) => {
        const listed = toListedEmployee(record, workKinds);
        return listed.ok ? [listed.employee] : [];
      });
    },
    writtenFields: () => state.writtenFields,
    snapshot: () => ({
      ...store.dump(),
      tokens: tokens.entries(),
      tokensIssued: state.tokensIssued,
    }),
    restore(snapshot) {
      const saved = JobcanSnapshot.parse(snapshot);
      store.load({ records: saved.records as JobcanEmployee[], nextId: saved.nextId });
      tokens.load(saved.tokens);
      state.tokensIssued = saved.tokensIssued;
    },
    reset() {
      store.clear();
      gateway.reset();
      tokens.clear();
      state.writtenFields = new Set();
    },
  };
}

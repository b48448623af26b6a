import {
  type AnyCredentialsSchema,
  type ApplyResult,
  apply,
  applyAll,
  type ConnectorDefinition,
  type ConnectorFields,
  type ConnectorSession,
  canRead,
  canWrite,
  createVirtualClock,
  type Employee,
  FIELD_KEYS,
  type FieldKey,
  type ListedEmployee,
  type Plan,
  plan,
  type VirtualClock,
} from '@renkei/core';
import { setupServer } from 'msw/node';
import type { z } from 'zod';
import { connectForTest } from '../connect.ts';
import type { FakeVendor } from '../fake.ts';
import { seededRandom } from '../faults.ts';
import { generateEmployees } from '../generate/index.ts';
import { restrictTo } from './restrict.ts';

export interface ContractOptions<C extends AnyCredentialsSchema = AnyCredentialsSchema> {
  /** Shown in the describe title (default: the connector's displayName). */
  name?: string;
  connector: ConnectorDefinition<C>;
  /** A fresh fake of the vendor on the given clock. */
  createFake: (options: { clock: VirtualClock }) => ContractFake;
  /** `invalid` may be left out only by a system that has no credentials to get wrong. */
  credentials: { valid: z.input<C>; invalid?: z.input<C> };
  /** The data area the checks write to (default: the fake's first). */
  area?: string;
  /** Sample employees (default: `generateEmployees`); only the fields the connector declares are used. */
  employees?: (count: number, seed: number) => Employee[];
  /** Records seeded for the listing check; more than one page of the vendor (default 120). */
  listingSize?: number;
  /**
   * False for a connector that is not an HTTP API (the hub's own HR master): the checks that need
   * injected faults, MSW or the request log are left out.
   */
  faults?: boolean;
  /** Connector-specific tests, registered inside the suite's describe. */
  extend?: (context: ContractContext) => void;
}

/**
 * What the suite needs of a fake: a `FakeVendor`, or one whose store is a database, so seeding and
 * reading back may be async (the hub's HR master).
 */
export type ContractFake = Omit<FakeVendor, 'seed' | 'records' | 'seedInvalid'> & {
  seed(area: string, employees: readonly Employee[]): void | Promise<void>;
  records(area: string): Employee[] | Promise<Employee[]>;
  seedInvalid?(area: string, employeeCode: string): void | Promise<void>;
};

export interface ContractContext {
  /** The environment of the running test (a fresh fake, clock and MSW handlers per test). */
  env(): ContractEnv;
}

/** What one check runs against: a fresh fake on a virtual clock, served by MSW. */
export interface ContractEnv {
  options: ContractOptions;
  fake: ContractFake;
  clock: VirtualClock;
  area: string;
  /** Fields the connector reads / writes / both. */
  readable: FieldKey[];
  writable: FieldKey[];
  /** Opens a session (closed when the check ends). */
  connect(credentials?: unknown): Promise<ConnectorSession>;
  /** Sample employees restricted to `fields` (default: every field the connector declares). */
  sample(count: number, seed?: number, fields?: readonly FieldKey[]): Employee[];
  /** Everything the session lists in the area (valid and invalid entries). */
  list(session: ConnectorSession, area?: string): Promise<ListedEmployee[]>;
  /** A plan that writes `source` (which holds every field) to the connector's current records. */
  planTo(session: ConnectorSession, source: readonly Employee[]): Promise<Plan>;
  /** Applies every selectable entry of `plan` through `session` to the env's area. */
  applyPlan(session: ConnectorSession, plan: Plan, selection?: readonly string[]): Promise<ApplyResult>;
}

/** The source side of a contract sync: an HR master that reads every field. */
export const SOURCE_FIELDS: ConnectorFields = Object.fromEntries(FIELD_KEYS.map((key) => [key, 'read']));

export function fieldsWhere(fields: ConnectorFields, test: (access: ConnectorFields[FieldKey]) => boolean) {
  return FIELD_KEYS.filter((key) => test(fields[key]));
}

/**
 * Owns the MSW server for a set of checks. `listen`/`close` around them (the describe wrapper does),
 * then `run(check)` gives each check a fresh environment and enforces the rule every check shares:
 * no request over the vendor's limits.
 */
export function createContractRunner(options: ContractOptions) {
  const server = setupServer();
  const { connector } = options;
  const readable = fieldsWhere(connector.fields, canRead);
  const writable = fieldsWhere(connector.fields, canWrite);
  const generate = options.employees ?? ((count: number, seed: number) => generateEmployees({ count, seed }));
  let current: ContractEnv | undefined;

  /** A fresh environment, current until disposed. */
  const open = (): { env: ContractEnv; dispose: () => Promise<void> } => {
    const clock = createVirtualClock(Date.UTC(2026, 3, 1));
    const fake = options.createFake({ clock });
    server.resetHandlers(...fake.handlers);
    const area = options.area ?? (fake.dataAreas()[0] as string);
    const sessions: ConnectorSession[] = [];
    const controller = new AbortController();

    const env: ContractEnv = {
      options,
      fake,
      clock,
      area,
      readable,
      writable,
      async connect(credentials = options.credentials.valid) {
        const session = await connectForTest(connector, credentials, {
          clock,
          signal: controller.signal,
          random: seededRandom(7),
        });
        sessions.push(session);
        return session;
      },
      sample(count, seed = 1, fields = [...new Set([...readable, ...writable])]) {
        return generate(count, seed).map((employee) => restrictTo(employee, fields));
      },
      async list(session, listArea = area) {
        const listed: ListedEmployee[] = [];
        for await (const entry of session.listEmployees(listArea)) listed.push(entry);
        return listed;
      },
      async planTo(session, source) {
        return plan(
          { fields: SOURCE_FIELDS, records: source.map((employee) => ({ ok: true as const, employee })) },
          { fields: connector.fields, records: await env.list(session) },
        );
      },
      async applyPlan(session, toApply, selection) {
        const codes =
          selection ?? toApply.entries.filter((entry) => entry.selectable).map((entry) => entry.employeeCode);
        return applyAll(
          apply(
            toApply,
            codes,
            { session, area, definition: connector },
            { clock, random: seededRandom(11) },
          ),
        );
      },
    };
    current = env;
    const dispose = async () => {
      current = undefined;
      // Close first: a vendor may need a request to end the session (PCA's Logout).
      await Promise.allSettled(sessions.map((session) => session.close()));
      controller.abort();
    };
    return { env, dispose };
  };

  return {
    listen() {
      server.listen({
        onUnhandledFrame({ frame, defaults }) {
          const request = (frame.data as { request?: Request }).request;
          const host = request ? new URL(request.url).hostname : '';
          // Loopback traffic (a test's own server) passes; anything else is a missing fake.
          if (host !== '127.0.0.1' && host !== 'localhost' && host !== '[::1]') defaults.error();
        },
      });
    },
    close() {
      server.close();
    },
    /** The environment of the check that is running (for `extend` tests). */
    env(): ContractEnv {
      if (!current) throw new Error('contract suite: no test is running');
      return current;
    },
    /** Runs `check` in a fresh environment; rejects when the check fails or a request went over the limits. */
    open,
    async run(check: (env: ContractEnv) => Promise<void>): Promise<void> {
      const { env, dispose } = open();
      try {
        await check(env);
        if (env.fake.overLimitCount > 0) {
          throw new Error(`${env.fake.overLimitCount} request(s) went over the vendor's rate limit`);
        }
      } finally {
        await dispose();
      }
    },
  };
}

export type ContractRunner = ReturnType<typeof createContractRunner>;

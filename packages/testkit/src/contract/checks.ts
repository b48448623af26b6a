import {
  type ConnectorSession,
  type Employee,
  type EmployeePatch,
  type EmployeeWrite,
  FIELD_KEYS,
  type FieldKey,
  isConnectorError,
  secretCredentialKeys,
  type WriteResult,
} from '@renkei/core';
import { expect } from 'vitest';
import { LATE_COMMIT_DEFAULT_MS } from '../faults.ts';
import type { ContractEnv } from './harness.ts';

/** One check of the contract: an async function that rejects when the connector breaks the contract. */
export type ContractCheck = (env: ContractEnv) => Promise<void>;

const codesOf = (employees: readonly { employeeCode: string }[]) =>
  employees.map((e) => e.employeeCode).sort();

async function expectConnectorError(promise: Promise<unknown>, kind: string): Promise<void> {
  const error = await promise.then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  expect(error, `expected a ConnectorError of kind ${kind}, but the call succeeded`).toBeDefined();
  expect(isConnectorError(error), `expected a ConnectorError, got ${String(error)}`).toBe(true);
  expect((error as { kind: string }).kind).toBe(kind);
}

/** The fake holds each of these 社員番号 exactly once. */
async function expectOneRecordEach(env: ContractEnv, codes: readonly string[]): Promise<void> {
  const held = (await env.fake.records(env.area)).map((employee) => employee.employeeCode);
  for (const code of codes) {
    expect(
      held.filter((candidate) => candidate === code),
      `records with 社員番号 ${code}`,
    ).toHaveLength(1);
  }
}

/** After a sync, planning again shows 差分なし for every written employee. */
async function expectConverged(env: ContractEnv, session: ConnectorSession, source: readonly Employee[]) {
  const again = await env.planTo(session, source);
  const differing = again.entries.filter((entry) => entry.status !== 'unchanged');
  expect(
    differing.map((entry) => ({ code: entry.employeeCode, status: entry.status, changes: entry.changes })),
  ).toEqual([]);
}

/** Creates `source` (all new) through apply and expects every one created. */
async function createAll(env: ContractEnv, session: ConnectorSession, source: readonly Employee[]) {
  const toApply = await env.planTo(session, source);
  expect(toApply.entries.filter((entry) => entry.status === 'new')).toHaveLength(source.length);
  const result = await env.applyPlan(session, toApply);
  const failures = result.outcomes.filter((outcome) => outcome.status !== 'created');
  expect(failures).toEqual([]);
  expect(result.status).toBe('succeeded');
}

export const checkCredentials: ContractCheck = async (env) => {
  const valid = await env.connect();
  await valid.check();
  // A system without credentials (the hub's own HR master) has no invalid ones to try.
  const { invalid } = env.options.credentials;
  if (invalid === undefined) return;
  const refused = await env.connect(invalid);
  const error = await refused.check().then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  expect(error, 'check() accepted invalid credentials').toBeDefined();
  expect(isConnectorError(error) && error.kind).toBe('auth');
  const text = `${(error as Error).message} ${JSON.stringify(error)}`;
  for (const key of secretCredentialKeys(env.options.connector.credentials)) {
    const value = (invalid as Record<string, unknown>)[key];
    if (typeof value === 'string' && value.length > 0) expect(text).not.toContain(value);
  }
};

export const checkDataAreas: ContractCheck = async (env) => {
  const session = await env.connect();
  const areas = await session.listDataAreas();
  expect(areas.map((area) => area.id).sort()).toEqual([...env.fake.dataAreas()].sort());
  for (const area of areas) expect(area.name.trim(), `name of area ${area.id}`).not.toBe('');
  if (!env.options.connector.hasDataAreas) expect(areas).toHaveLength(1);
};

export const checkListing: ContractCheck = async (env) => {
  const size = env.options.listingSize ?? 120;
  const seeded = env.sample(size, 2);
  await env.fake.seed(env.area, seeded);
  const session = await env.connect();
  const readsBefore = env.fake.requests.filter((request) => request.requestClass === 'read').length;
  const first = await env.list(session);
  const reads = env.fake.requests.filter((request) => request.requestClass === 'read').length - readsBefore;
  const second = await env.list(session);
  expect(second).toEqual(first);
  expect(
    codesOf(first.map((entry) => ({ employeeCode: entry.ok ? entry.employee.employeeCode : '' }))),
  ).toEqual(codesOf(seeded));
  if (env.options.faults !== false)
    expect(reads, `${size} records should take more than one page`).toBeGreaterThan(1);
};

export const checkRecordsParse: ContractCheck = async (env) => {
  const seeded = env.sample(12, 3);
  await env.fake.seed(env.area, seeded);
  const invalidCode = 'BAD-0001';
  await env.fake.seedInvalid?.(env.area, invalidCode);
  const session = await env.connect();
  const listed = await env.list(session);
  const invalid = listed.filter((entry) => !entry.ok);
  if (env.fake.seedInvalid) {
    expect(invalid.map((entry) => (entry.ok ? '' : entry.employeeCode))).toEqual([invalidCode]);
    for (const entry of invalid) if (!entry.ok) expect(entry.issues.length).toBeGreaterThan(0);
  } else expect(invalid).toEqual([]);
  // Every valid record reads back as what was seeded (差分なし on every field the connector reads).
  await expectConverged(env, session, seeded);
  const found = await session.getEmployees(env.area, [seeded[0]?.employeeCode as string, 'NO-SUCH-CODE']);
  expect(found.map((entry) => (entry.ok ? entry.employee.employeeCode : entry.employeeCode))).toEqual([
    seeded[0]?.employeeCode,
  ]);
};

export const checkCreateReadBack: ContractCheck = async (env) => {
  const source = env.sample(env.options.connector.limits.writeBatchSize + 5, 4);
  const session = await env.connect();
  await createAll(env, session, source);
  await expectConverged(env, session, source);
  const found = await session.getEmployees(env.area, codesOf(source));
  expect(
    codesOf(found.map((entry) => ({ employeeCode: entry.ok ? entry.employee.employeeCode : '' }))),
  ).toEqual(codesOf(source));
  await expectOneRecordEach(env, codesOf(source));
};

/** A field the connector both reads and writes, preferring ones every vendor has. */
function updatableField(env: ContractEnv): FieldKey {
  const both = env.writable.filter((field) => env.readable.includes(field));
  const preferred: FieldKey[] = ['lastName', 'email', 'department', 'hireDate', 'firstName', 'jobTitle'];
  const field = preferred.find((candidate) => both.includes(candidate)) ?? both[0];
  if (!field) throw new Error('contract suite: the connector neither reads nor writes any field');
  return field;
}

export const checkUpdateOnlyChanged: ContractCheck = async (env) => {
  const seeded = env.sample(8, 5);
  await env.fake.seed(env.area, seeded);
  const field = updatableField(env);
  const donors = env.sample(40, 6);
  const changedCodes = seeded.slice(0, 3).map((employee) => employee.employeeCode);
  const source = seeded.map((employee) => {
    if (!changedCodes.includes(employee.employeeCode)) return employee;
    const donor = donors.find(
      (candidate) => JSON.stringify(candidate[field]) !== JSON.stringify(employee[field]),
    );
    return { ...employee, [field]: donor?.[field] };
  });
  const before = new Map(
    (await env.fake.records(env.area)).map((employee) => [employee.employeeCode, employee]),
  );
  const session = await env.connect();
  const toApply = await env.planTo(session, source);
  const changed = toApply.entries.filter((entry) => entry.status === 'changed');
  expect(changed.map((entry) => entry.employeeCode).sort()).toEqual([...changedCodes].sort());
  for (const entry of changed) expect(entry.changes.map((change) => change.field)).toEqual([field]);

  const result = await env.applyPlan(session, toApply);
  expect(result.outcomes.filter((outcome) => outcome.status === 'updated')).toHaveLength(changedCodes.length);
  expect(result.status).toBe('succeeded');
  for (const after of await env.fake.records(env.area)) {
    const previous = before.get(after.employeeCode);
    const touched = changedCodes.includes(after.employeeCode);
    const { [field]: _newValue, ...rest } = after;
    const { [field]: oldValue, ...previousRest } = previous ?? ({ employeeCode: '' } as Employee);
    expect(rest, `fields other than ${field} of ${after.employeeCode}`).toEqual(previousRest);
    if (!touched) expect(after[field]).toEqual(oldValue);
  }
  await expectConverged(env, session, source);
};

export const checkIdempotentCreate: ContractCheck = async (env) => {
  const source = env.sample(5, 7);
  const session = await env.connect();
  env.fake.faults.inject({ kind: 'timeout_after_commit', scope: 'write', times: 1 });
  await createAll(env, session, source);
  expect(env.fake.faults.served.timeout_after_commit).toBe(1);
  await expectOneRecordEach(env, codesOf(source));
  expect(await env.fake.records(env.area)).toHaveLength(source.length);
  await expectConverged(env, session, source);
};

/**
 * The vendor commits a create 45 s after the client gave up (the default late commit): the engine's
 * growing re-checks find it, and it is never sent twice (on a vendor without a unique 社員番号 a
 * second create is a second employee).
 */
export const checkLateCommit: ContractCheck = async (env) => {
  const source = env.sample(3, 11);
  const session = await env.connect();
  env.fake.faults.inject({ kind: 'late_commit', scope: 'write', times: 1 });
  await createAll(env, session, source);
  expect(env.fake.faults.served.late_commit).toBe(1);
  // Whatever the engine did, the vendor's late work has landed by now.
  await env.clock.advance(LATE_COMMIT_DEFAULT_MS);
  await expectOneRecordEach(env, codesOf(source));
  expect(await env.fake.records(env.area)).toHaveLength(source.length);
  await expectConverged(env, session, source);
};

export const checkRetryAfter: ContractCheck = async (env) => {
  const retryAfterSeconds = 7;
  const source = env.sample(env.options.connector.limits.writeBatchSize + 3, 8);
  const session = await env.connect();
  env.fake.faults.inject({ kind: 'rate_limit', scope: 'write', times: 2, retryAfterSeconds });
  await createAll(env, session, source);
  expect(env.fake.faults.served.rate_limit).toBe(2);
  const refusals = env.fake.requests.filter((request) => request.status === 429);
  for (const refusal of refusals) {
    const early = env.fake.requests.filter(
      (request) => request.time > refusal.time && request.time < refusal.time + retryAfterSeconds * 1000,
    );
    expect(
      early.map((request) => `${request.method} ${request.url} at +${request.time - refusal.time}ms`),
      'requests sent inside the Retry-After window',
    ).toEqual([]);
  }
  expect(env.fake.overLimitCount).toBe(0);
  await expectOneRecordEach(env, codesOf(source));
};

export const checkPersistentServerError: ContractCheck = async (env) => {
  const source = env.sample(6, 9);
  const victim = source[2]?.employeeCode as string;
  const session = await env.connect();
  env.fake.faults.inject({
    kind: 'server_error',
    scope: 'write',
    times: Number.POSITIVE_INFINITY,
    employeeCodes: [victim],
  });
  const result = await env.applyPlan(session, await env.planTo(session, source));
  const byStatus = (status: string) =>
    result.outcomes.filter((outcome) => outcome.status === status).map((outcome) => outcome.employeeCode);
  expect(byStatus('failed')).toEqual([victim]);
  expect(byStatus('created').sort()).toEqual(codesOf(source).filter((code) => code !== victim));
  expect(result.status).toBe('partially_failed');
  const failed = result.outcomes.find((outcome) => outcome.employeeCode === victim);
  expect(failed?.status === 'failed' && failed.error.message.length > 0).toBe(true);
  expect(codesOf(await env.fake.records(env.area))).toEqual(
    codesOf(source).filter((code) => code !== victim),
  );
};

export const checkMalformedResponse: ContractCheck = async (env) => {
  const seeded = env.sample(3, 10);
  await env.fake.seed(env.area, seeded);
  const session = await env.connect();
  await session.check();
  env.fake.faults.inject({ kind: 'malformed_body', scope: 'read', times: Number.POSITIVE_INFINITY });
  await expectConnectorError(env.list(session), 'protocol');
  await expectConnectorError(session.getEmployees(env.area, codesOf(seeded)), 'protocol');
  env.fake.faults.clear();
  expect(await env.list(session)).toHaveLength(seeded.length);
};

export const checkTokenExpiry: ContractCheck = async (env) => {
  const seeded = env.sample(3, 11);
  await env.fake.seed(env.area, seeded);
  const session = await env.connect();
  expect(await env.list(session)).toHaveLength(seeded.length);
  env.fake.faults.inject({ kind: 'expired_token', scope: 'read', times: 1 });
  expect(await env.list(session)).toHaveLength(seeded.length);
  expect(env.fake.faults.served.expired_token).toBe(1);
};

export const checkUnsupportedFieldsNeverSent: ContractCheck = async (env) => {
  // The source holds every canonical field; only what the connector writes may reach the vendor.
  const everything = env.sample(6, 12, FIELD_KEYS);
  const session = await env.connect();
  const created = await env.applyPlan(session, await env.planTo(session, everything));
  expect(created.counts.created).toBe(everything.length);
  const changed = env
    .sample(6, 13, FIELD_KEYS)
    .map((employee, index) => ({ ...employee, employeeCode: everything[index]?.employeeCode as string }));
  const updated = await env.applyPlan(session, await env.planTo(session, changed));
  expect(updated.counts.updated).toBeGreaterThan(0);
  const sent = [...env.fake.writtenFields()];
  expect(sent.filter((field) => !env.writable.includes(field))).toEqual([]);
};

export const checkStaysWithinLimits: ContractCheck = async (env) => {
  const seeded = env.sample(40, 13);
  await env.fake.seed(env.area, seeded);
  const session = await env.connect();
  // Many small requests at once: the connector must pace them under every declared limit.
  await Promise.all(seeded.map((employee) => session.getEmployees(env.area, [employee.employeeCode])));
  await Promise.all([env.list(session), env.list(session)]);
  expect(env.fake.overLimitCount).toBe(0);
};

/** An OrgRef no vendor's master holds. */
const UNKNOWN_ORG = { name: '連携テスト用の存在しない名称' };

/**
 * Writes mixing plain ones with values the canonical model allows but many targets refuse, one
 * doubtful value per write so a refusal names its cause. Only fields the connector writes.
 */
function doubtfulWrites(
  env: ContractEnv,
  seeded: readonly Employee[],
  fresh: readonly Employee[],
): EmployeeWrite[] {
  const writes = (field: string) => env.writable.includes(field as FieldKey);
  const create = (employee: Employee | undefined, values: Partial<Employee> = {}): EmployeeWrite => {
    const { employeeCode, ...rest } = { ...(employee as Employee), ...values };
    return { op: 'create', employeeCode, values: { employeeCode, ...rest } };
  };
  const update = (employee: Employee | undefined, changes: EmployeePatch): EmployeeWrite => ({
    op: 'update',
    employeeCode: (employee as Employee).employeeCode,
    changes,
  });
  const field = updatableField(env);
  const donor = fresh.find(
    (candidate) => JSON.stringify(candidate[field]) !== JSON.stringify(seeded[0]?.[field]),
  );
  const list: EmployeeWrite[] = [
    create(fresh[0]),
    create(fresh[1]),
    update(seeded[0], { [field]: donor?.[field] }),
    // No system in this project takes a 社員番号 in kanji.
    create(fresh[2], { employeeCode: '社員〇〇一' }),
  ];
  if (writes('lastName')) {
    const { lastName: _, ...nameless } = fresh[3] as Employee;
    list.push(create(nameless), update(seeded[1], { lastName: null }));
  }
  if (writes('gender')) list.push(create(fresh[4], { gender: 'unspecified' }));
  const orgs = ['department', 'jobTitle', 'employmentType', 'employeeCategory'] as const;
  for (const [index, org] of orgs.filter(writes).entries()) {
    list.push(update(seeded[2 + index], { [org]: UNKNOWN_ORG }));
  }
  if (writes('bankAccounts')) {
    const account = { bankCode: '0001', branchCode: '001', accountNumber: '1234567', holderKana: 'ﾃｽﾄ' };
    list.push(update(seeded[6], { bankAccounts: [{ ...account, accountType: 'savings' }] }));
  }
  return list;
}

/** Reads `checkWrites` may spend on one call (masters and current records in bulk), whatever the count. */
const CHECK_READ_BUDGET = 8;

/**
 * `checkWrites`, where the connector has it, agrees with `writeEmployees`: every write it flags is
 * refused with `validation` (in words that contain its issues) and nothing of it is written; every
 * write it passes succeeds. Checking writes nothing and costs a few reads.
 */
export const checkWritesAgree: ContractCheck = async (env) => {
  const sample = env.sample(16, 14);
  const seeded = sample.slice(0, 8);
  await env.fake.seed(env.area, seeded);
  const session = await env.connect();
  if (!session.checkWrites) return;
  const writes = doubtfulWrites(env, seeded, sample.slice(8));
  const held = async () =>
    new Map((await env.fake.records(env.area)).map((employee) => [employee.employeeCode, employee]));
  const before = await held();
  const requestsBefore = env.fake.requests.length;

  const checks = await session.checkWrites(env.area, writes);
  const sent = env.fake.requests.slice(requestsBefore);
  expect(
    sent.filter((request) => request.requestClass === 'write'),
    'requests checkWrites sent to write',
  ).toEqual([]);
  if (env.options.faults !== false) {
    expect(sent.filter((request) => request.requestClass === 'read').length).toBeLessThanOrEqual(
      CHECK_READ_BUDGET,
    );
  }
  expect(await held()).toEqual(before);
  const flagged = new Map(checks.map((check) => [check.employeeCode, check.issues]));
  expect(flagged.size, 'one check per refused write').toBe(checks.length);
  const codes = writes.map((write) => write.employeeCode);
  for (const [code, issues] of flagged) {
    expect(codes, 'checkWrites flagged a write it was not given').toContain(code);
    expect(issues.length).toBeGreaterThan(0);
    for (const issue of issues) expect(issue.message.trim()).not.toBe('');
  }

  const { writeBatchSize } = env.options.connector.limits;
  const results: WriteResult[] = [];
  for (let start = 0; start < writes.length; start += writeBatchSize) {
    results.push(...(await session.writeEmployees(env.area, writes.slice(start, start + writeBatchSize))));
  }
  const disagreements = writes.flatMap((write, index) => {
    const result = results[index];
    const issues = flagged.get(write.employeeCode);
    const refusedAsFlagged =
      result?.ok === false &&
      result.error.kind === 'validation' &&
      issues?.every((issue) => result.error.message.includes(issue.message));
    if (issues ? refusedAsFlagged : result?.ok) return [];
    return [{ write, flagged: issues ?? 'passed', written: result }];
  });
  expect(disagreements, 'checkWrites and writeEmployees disagree').toEqual([]);
  const after = await held();
  for (const write of writes) {
    if (!flagged.has(write.employeeCode)) continue;
    expect(after.get(write.employeeCode), `record ${write.employeeCode} after a refused write`).toEqual(
      before.get(write.employeeCode),
    );
  }
};

export interface ContractCheckInfo {
  title: string;
  run: ContractCheck;
  /** Needs injected faults or the request log (left out with `faults: false`). */
  faults: boolean;
}

/** The suite of DESIGN §10, in the order it runs. */
export const CONTRACT_CHECKS = {
  credentials: {
    title: 'valid credentials pass check(); invalid ones fail with auth, no secret in the message',
    run: checkCredentials,
    faults: false,
  },
  dataAreas: { title: 'lists the data areas the vendor has', run: checkDataAreas, faults: false },
  listing: { title: 'lists every record across pages, twice identically', run: checkListing, faults: false },
  recordsParse: {
    title: 'records parse; one bad record is reported, not thrown',
    run: checkRecordsParse,
    faults: false,
  },
  createReadBack: {
    title: 'creates employees and reads them back (差分なし)',
    run: checkCreateReadBack,
    faults: false,
  },
  updateOnlyChanged: {
    title: 'an update touches only the changed field',
    run: checkUpdateOnlyChanged,
    faults: false,
  },
  idempotentCreate: {
    title: 'a create whose answer is lost is not repeated (one record per 社員番号)',
    run: checkIdempotentCreate,
    faults: true,
  },
  lateCommit: {
    title: 'a create the vendor commits after the client gave up is found by re-checking, not sent twice',
    run: checkLateCommit,
    faults: true,
  },
  retryAfter: {
    title: '429 then success, honouring Retry-After, within the limits',
    run: checkRetryAfter,
    faults: true,
  },
  persistentServerError: {
    title: 'a persistent 5xx on one employee fails only that employee',
    run: checkPersistentServerError,
    faults: true,
  },
  malformedResponse: {
    title: 'a malformed response is a protocol error, not a crash',
    run: checkMalformedResponse,
    faults: true,
  },
  tokenExpiry: { title: 'an expired token is refreshed transparently', run: checkTokenExpiry, faults: true },
  unsupportedFieldsNeverSent: {
    title: 'fields the connector does not write are never sent',
    run: checkUnsupportedFieldsNeverSent,
    faults: false,
  },
  staysWithinLimits: {
    title: 'no request goes over the vendor’s rate limits',
    run: checkStaysWithinLimits,
    faults: true,
  },
  writesAgree: {
    title: 'checkWrites (where implemented) flags exactly what writeEmployees refuses, writing nothing',
    run: checkWritesAgree,
    faults: false,
  },
} satisfies Record<string, ContractCheckInfo>;

export type ContractCheckName = keyof typeof CONTRACT_CHECKS;

import { type Clock, type Employee, type FieldKey, systemClock } from '@renkei/core';
import { createFakeGateway, type FakeVendor, type PersistableFake } from '@renkei/testkit/fakes';
import type { SyainField } from '../api.ts';
import {
  fromPca,
  type MapperContext,
  type MasterKind,
  resolveRef,
  tokyoDate,
  toPcaCreate,
  vendorFieldsOf,
} from '../mapper.ts';
import type { MasterEntry, PcaProduct } from '../product.ts';
import { PCA } from '../vendor.ts';
import { createHandlers, PCA_ANSWERS } from './handlers.ts';
import {
  DEFAULT_COMPANIES,
  FAKE_CREDENTIALS,
  type FakeCompany,
  type FakeCredentials,
  type FakeMasters,
} from './seed.ts';
import {
  type AreaState,
  activeSessions,
  createState,
  type FakeState,
  restoreState,
  snapshotState,
} from './store.ts';
import { storedCode } from './validate.ts';

export type { FakeAreaSeed, FakeCompany, FakeCredentials, FakeMasters } from './seed.ts';
export { DEFAULT_COMPANIES, defaultMasters, FAKE_CREDENTIALS } from './seed.ts';

export interface PcaFakeOptions {
  product: PcaProduct;
  clock?: Clock;
  /** The credentials the fake accepts (fictional by default). */
  credentials?: FakeCredentials;
  /** Concurrent logins the tenant's licence allows. */
  licences?: number;
  companies?: readonly FakeCompany[];
}

/** The stateful PCA Web-API fake: FakeVendor plus what PCA tests need to look at. */
export interface PcaFake extends FakeVendor, PersistableFake {
  readonly product: PcaProduct;
  readonly credentials: FakeCredentials;
  /** Logins currently holding a licence. */
  activeLicences(): number;
  /**
   * Password grants refused because every licence was held (the fake never lets more logins than
   * licences hold one: a refused grant is the client trying to go over the contract's limit).
   */
  loginsRefused(): number;
  /** Replaces one master of an area (部門, 役職, 雇用区分). */
  setMaster(area: string, kind: keyof FakeMasters, entries: readonly MasterEntry[]): void;
  masters(area: string): FakeMasters;
  /** Stores a record with an impossible 生年月日, which the connector must report as invalid. */
  seedInvalid(area: string, employeeCode: string): void;
  /** The stored `BEMasterSyain` records of an area, by stored 社員コード. */
  rawRecords(area: string): ReadonlyMap<string, unknown>;
}

export function createPcaFake(options: PcaFakeOptions): PcaFake {
  const { product } = options;
  const clock = options.clock ?? systemClock;
  const credentials = options.credentials ?? FAKE_CREDENTIALS;
  const companies = options.companies ?? DEFAULT_COMPANIES;
  const gateway = createFakeGateway({ clock, rateLimits: PCA.rateLimits, answers: PCA_ANSWERS });
  const written = new Set<FieldKey>();
  const fieldOf = invertFields(vendorFieldsOf(product));
  let state: FakeState = createState(product, companies);
  let licencesRefused = 0;

  const area = (name: string): AreaState => {
    const found = state.areas.get(name);
    if (!found) throw new Error(`PCA fake: no data area ${name}`);
    return found;
  };
  const mapperContext = (target: AreaState): MapperContext => ({
    product,
    codeWidth: target.codeWidth,
    masters: { ...target.masters, employeeCategory: product.employeeCategories ?? [] },
    today: tokyoDate(clock.now()),
  });

  const handlers = createHandlers({
    product,
    datacenter: credentials.datacenter,
    credentials,
    licences: options.licences ?? PCA.concurrentSessions,
    clock,
    gateway,
    state: () => state,
    onLicenceRefused: () => {
      licencesRefused++;
    },
    onWritten: (fields) => {
      for (const field of fields) for (const key of fieldOf.get(field) ?? []) written.add(key);
    },
  });

  return {
    product,
    credentials,
    handlers,
    faults: gateway.faults,
    clock,
    get requests() {
      return gateway.requests;
    },
    get overLimitCount() {
      return gateway.overLimitCount;
    },
    dataAreas: () => [...state.areas.keys()],
    seed(name, employees) {
      const target = area(name);
      for (const employee of employees) {
        addMissingMasters(target, employee);
        const mapped = toPcaCreate(employee, mapperContext(target));
        if (!mapped.ok) {
          throw new Error(
            `PCA fake: cannot seed ${employee.employeeCode}: ${mapped.issues.map((i) => i.message).join(' ')}`,
          );
        }
        target.employees.set(mapped.record.Code, {
          ...mapped.record,
          Id: target.nextId++,
          BEVersion: 1,
          UpdateTime: new Date(clock.now()).toISOString(),
        });
      }
    },
    seedInvalid(name, employeeCode) {
      const target = area(name);
      const stored = storedCode(employeeCode, target.codeWidth);
      const code = 'code' in stored ? stored.code : employeeCode;
      // 13月40日: a date PCA's own screens would never have let through.
      target.employees.set(code, {
        Code: code,
        Name: '不正　データ',
        BirthDate: 19901340,
        Id: target.nextId++,
        BEVersion: 1,
      });
    },
    records(name) {
      const target = area(name);
      const context = mapperContext(target);
      return [...target.employees.values()].flatMap((record) => {
        const listed = fromPca(record, context);
        return listed.ok ? [listed.employee] : [];
      });
    },
    writtenFields: () => written,
    reset() {
      state = createState(product, companies);
      gateway.reset();
      written.clear();
      licencesRefused = 0;
    },
    snapshot: () => snapshotState(state),
    restore(snapshot) {
      state = restoreState(product, companies, snapshot);
    },
    activeLicences: () => activeSessions(state, clock.now()).length,
    loginsRefused: () => licencesRefused,
    setMaster(name, kind, entries) {
      area(name).masters[kind] = entries.map((entry) => ({ ...entry }));
    },
    masters: (name) => structuredClone(area(name).masters),
    rawRecords: (name) => area(name).employees,
  };
}

const SEEDED_MASTERS: readonly Exclude<MasterKind, 'employeeCategory'>[] = [
  'department',
  'jobTitle',
  'employmentType',
];

/** Seeding puts the vendor in a state; masters an employee refers to are part of that state. */
function addMissingMasters(area: AreaState, employee: Employee): void {
  for (const kind of SEEDED_MASTERS) {
    const ref = employee[kind];
    if (!ref || resolveRef(ref, area.masters[kind])) continue;
    const entries = area.masters[kind];
    const code = ref.code ?? String(entries.length + 1).padStart(3, '0');
    entries.push({ code, name: ref.name });
  }
}

function invertFields(map: Partial<Record<FieldKey, readonly SyainField[]>>): Map<string, FieldKey[]> {
  const inverse = new Map<string, FieldKey[]>();
  for (const [key, fields] of Object.entries(map) as [FieldKey, SyainField[]][]) {
    for (const field of fields) inverse.set(field, [...(inverse.get(field) ?? []), key]);
  }
  return inverse;
}

import { z } from 'zod';
import type { BECommonDataArea, BEMasterSyain } from '../api.ts';
import type { CodeRule } from '../codes.ts';
import type { PcaProduct } from '../product.ts';
import { PCA } from '../vendor.ts';
import { defaultMasters, type FakeCompany, type FakeMasters } from './seed.ts';

/** One data area's state: employees by stored 社員コード, masters, id and version counters. */
export interface AreaState {
  info: BECommonDataArea;
  /** The company's 社員コード rule (what the fake stores by, whatever its API reports). */
  codeRule: CodeRule;
  company: FakeCompany;
  employees: Map<string, BEMasterSyain>;
  masters: FakeMasters;
  nextId: number;
}

/**
 * A login: holds one licence from its password grant until Logout, its refresh token expiring, or
 * PCA's session timeout after its last request (modelled, `PCA.sessionTimeoutMs`).
 */
export interface LoginSession {
  id: number;
  area: string | undefined;
  refreshToken: string;
  refreshExpiresAt: number;
  open: boolean;
  /** The login's last request (epoch ms); absent in state saved before the timeout was modelled. */
  lastUsedAt?: number;
}

export interface AccessToken {
  sessionId: number;
  expiresAt: number;
}

export interface Snapshot {
  area: string;
  entity: string;
  rows: readonly unknown[];
  expiresAt: number;
}

export interface FakeState {
  areas: Map<string, AreaState>;
  sessions: Map<number, LoginSession>;
  tokens: Map<string, AccessToken>;
  snapshots: Map<string, Snapshot>;
  counter: number;
}

export function areaName(product: PcaProduct, companyCode: string, serial: number): string {
  return `P20V01C${companyCode}${product.areaCode}${String(serial).padStart(4, '0')}`;
}

export function createState(product: PcaProduct, companies: readonly FakeCompany[]): FakeState {
  const areas = new Map<string, AreaState>();
  for (const company of companies) {
    for (const seed of company.areas) {
      const name = areaName(product, company.code, seed.serial);
      areas.set(name, {
        info: {
          Name: name,
          DataVersion: '6.30',
          CompanyCode: company.code,
          CompanyName: company.name,
          CompanyKane: company.kana,
          CompanyTerm: seed.term,
          CompanyTermStart: Number(`${seed.year}0101`),
          CompanyTermEnd: Number(`${seed.year}1231`),
          StatusDescription: '使用中',
          UpdateTime: `${seed.year}-01-01T00:00:00`,
        },
        codeRule: { width: company.codeLength, fillZero: company.codeFillZero, source: 'pca' },
        company,
        employees: new Map(),
        masters: defaultMasters(),
        nextId: 1,
      });
    }
  }
  return { areas, sessions: new Map(), tokens: new Map(), snapshots: new Map(), counter: 0 };
}

/** Whether the login still holds its licence at `now`. */
export const holdsLicence = (session: LoginSession, now: number): boolean =>
  session.open &&
  session.refreshExpiresAt > now &&
  (session.lastUsedAt === undefined || now - session.lastUsedAt < PCA.sessionTimeoutMs);

/** Sessions that still hold a licence at `now`. */
export function activeSessions(state: FakeState, now: number): LoginSession[] {
  return [...state.sessions.values()].filter((session) => holdsLicence(session, now));
}

export function issueToken(state: FakeState, sessionId: number, now: number): string {
  const token = `pca-at-${++state.counter}-${Math.random().toString(36).slice(2)}`;
  state.tokens.set(token, { sessionId, expiresAt: now + PCA.accessTokenTtlMs });
  return token;
}

const Entry = z.object({ code: z.string(), name: z.string() });
/** A record as stored: whatever got in, checked only for being an object with a 社員コード. */
const StoredRecord = z.looseObject({ Code: z.string() });
const FakeSnapshot = z.object({
  counter: z.number().int().nonnegative(),
  areas: z.array(
    z.object({
      name: z.string(),
      nextId: z.number().int().positive(),
      employees: z.array(StoredRecord),
      masters: z.object({
        department: z.array(Entry),
        jobTitle: z.array(Entry),
        employmentType: z.array(Entry),
      }),
    }),
  ),
  sessions: z.array(
    z.object({
      id: z.number().int(),
      area: z.string().optional(),
      refreshToken: z.string(),
      refreshExpiresAt: z.number(),
      open: z.boolean(),
    }),
  ),
  tokens: z.array(z.tuple([z.string(), z.object({ sessionId: z.number().int(), expiresAt: z.number() })])),
});
export type FakeSnapshot = z.infer<typeof FakeSnapshot>;

/** The state as JSON; paging snapshots are left out (a restart ends them, as it would at PCA). */
export function snapshotState(state: FakeState): FakeSnapshot {
  return {
    counter: state.counter,
    areas: [...state.areas.values()].map((area) => ({
      name: area.info.Name,
      nextId: area.nextId,
      employees: [...area.employees.values()],
      masters: area.masters,
    })),
    sessions: [...state.sessions.values()].map(({ area, ...session }) => ({
      ...session,
      ...(area === undefined ? {} : { area }),
    })),
    tokens: [...state.tokens.entries()],
  };
}

/** A fresh state for the tenant, with the areas, logins and tokens of a snapshot put back. */
export function restoreState(
  product: PcaProduct,
  companies: readonly FakeCompany[],
  snapshot: unknown,
): FakeState {
  const parsed = FakeSnapshot.parse(snapshot);
  const state = createState(product, companies);
  state.counter = parsed.counter;
  for (const saved of parsed.areas) {
    const area = state.areas.get(saved.name);
    if (!area) throw new Error(`PCA fake: the snapshot's data area ${saved.name} is not in this tenant`);
    area.nextId = saved.nextId;
    area.masters = saved.masters;
    area.employees = new Map(saved.employees.map((record) => [record.Code, record as BEMasterSyain]));
  }
  for (const session of parsed.sessions) state.sessions.set(session.id, { area: undefined, ...session });
  state.tokens = new Map(parsed.tokens);
  return state;
}

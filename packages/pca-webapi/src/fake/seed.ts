import { DEPARTMENTS, EMPLOYMENT_TYPES, JOB_TITLES } from '@renkei/testkit/fakes';
import type { MasterEntry } from '../product.ts';

/** A company of the fake tenant, with its yearly data areas (年次更新 creates the next one). */
export interface FakeCompany {
  code: string;
  name: string;
  kana: string;
  /** 会社基本情報: 社員コード桁数 (4–13) and ０詰め, two separate settings. */
  codeLength: number;
  codeFillZero: boolean;
  /** Whether the company record (`Find/Comp`) carries them; false models an API that does not say. */
  reportsCodeRule?: boolean;
  areas: readonly FakeAreaSeed[];
}

export interface FakeAreaSeed {
  /** The last four digits of the area name. */
  serial: number;
  /** 期 and its calendar year. */
  term: number;
  year: number;
}

export interface FakeMasters {
  department: MasterEntry[];
  jobTitle: MasterEntry[];
  employmentType: MasterEntry[];
}

/** Fictional credentials the fake accepts (never real ones). */
export const FAKE_CREDENTIALS = {
  serviceId: 'renkei-fake-service',
  servicePassword: 'fake-service-password',
  username: 'renkei-app-user',
  password: 'fake-app-password',
  clientId: 'renkei-fake-client',
  clientSecret: 'fake-client-secret',
  datacenter: 'east02',
} as const;
export type FakeCredentials = typeof FAKE_CREDENTIALS;

/**
 * Two companies: the first ０詰め its 6-digit 社員コード and has two yearly areas (last year's and
 * this year's); the second keeps codes of up to 13 characters as entered (no ０詰め).
 */
export const DEFAULT_COMPANIES: readonly FakeCompany[] = [
  {
    code: '081',
    name: '株式会社れんけい商事',
    kana: 'ｶﾌﾞｼｷｶﾞｲｼｬﾚﾝｹｲｼｮｳｼﾞ',
    codeLength: 6,
    codeFillZero: true,
    areas: [
      { serial: 1, term: 11, year: 2025 },
      { serial: 2, term: 12, year: 2026 },
    ],
  },
  {
    code: '082',
    name: 'れんけい物流株式会社',
    kana: 'ﾚﾝｹｲﾌﾞﾂﾘｭｳｶﾌﾞｼｷｶﾞｲｼｬ',
    codeLength: 13,
    codeFillZero: false,
    areas: [{ serial: 1, term: 3, year: 2026 }],
  },
];

/** The masters of a new area: the testkit generator's, so generated employees resolve by code and name. */
export function defaultMasters(): FakeMasters {
  const entries = (list: readonly MasterEntry[]) => list.map(({ code, name }) => ({ code, name }));
  return {
    department: entries(DEPARTMENTS),
    jobTitle: entries(JOB_TITLES),
    employmentType: entries(EMPLOYMENT_TYPES),
  };
}

import type { ConnectorDefinition, Employee } from '@renkei/core';
import type { Hub } from '@renkei/hub';
import { drift, type FakeVendor, generateEmployees } from '@renkei/testkit/fakes';

/** The HR master's size in the demo, and how many of its employees no vendor has yet. */
const POPULATION = 240;
const HR_ONLY = 12;
const SEED = 20_261_123;

export const DEMO_USERS = {
  admin: { email: 'admin@example.jp', name: '連携 花子', password: 'renkei-demo-admin', role: 'admin' },
  member: { email: 'member@example.jp', name: '閲覧 太郎', password: 'renkei-demo-member', role: 'member' },
} as const;

/** A vendor of the demo: its connector, its in-memory fake, and credentials the fake accepts. */
export interface DemoVendor {
  connector: ConnectorDefinition;
  fake: FakeVendor;
  credentials: Record<string, unknown>;
}

/** The generated people (deterministic: every start sees the same ones). */
export function demoPopulation(): Employee[] {
  return generateEmployees({ count: POPULATION, seed: SEED });
}

/** Seeds one employee at a time; returns the 社員番号 the vendor refused (what it cannot hold). */
function seedEach(fake: FakeVendor, area: string, employees: readonly Employee[]): Set<string> {
  const refused = new Set<string>();
  for (const employee of employees) {
    try {
      fake.seed(area, [employee]);
    } catch {
      refused.add(employee.employeeCode);
    }
  }
  return refused;
}

/**
 * Seeds the vendor fakes and returns the HR master to go with them. The HR master keeps only people
 * every vendor can hold (PCA refuses 貯蓄 accounts and an unspecified gender, for instance), so a
 * demo sync fails only when a fault is injected. Each vendor area holds a drifted copy of most of the
 * HR master (some changed, a few new hires of its own) and lacks its last few people, so both
 * directions show 差分なし, 差分あり and 新規登録 on first open.
 */
export function seedVendors(vendors: readonly DemoVendor[], population: readonly Employee[]): Employee[] {
  const refused = new Set<string>();
  for (const { fake } of vendors) {
    fake.reset();
    for (const area of fake.dataAreas())
      for (const code of seedEach(fake, area, population)) refused.add(code);
    fake.reset();
  }
  const hr = population.filter((employee) => !refused.has(employee.employeeCode));
  const hrOnly = new Set(hr.slice(-HR_ONLY).map((employee) => employee.employeeCode));
  // One 社員番号 that every vendor area holds for another person: the demo's 別人の可能性.
  const mismatch = hr.find(
    (employee) =>
      employee.lastName !== ANOTHER.lastName &&
      employee.firstName !== ANOTHER.firstName &&
      employee.birthDate !== ANOTHER.birthDate &&
      !hrOnly.has(employee.employeeCode),
  );
  vendors.forEach((vendor, v) => {
    vendor.fake.dataAreas().forEach((area, a) => {
      // Drifting the whole HR master numbers the vendor's new hires after every HR employee.
      const copy = drift(hr, { seed: SEED + 97 * v + a, changed: 0.08, added: 0.05, cosmetic: 0 });
      seedEach(
        vendor.fake,
        area,
        copy.employees
          .filter((employee) => !hrOnly.has(employee.employeeCode))
          .map((employee) =>
            employee.employeeCode === mismatch?.employeeCode ? anotherPerson(employee) : employee,
          ),
      );
    });
  });
  return hr;
}

/** Who the vendors hold under the demo's 別人の可能性 社員番号. */
const ANOTHER = {
  lastName: '岩崎',
  firstName: '彩',
  lastNameKana: 'イワサキ',
  firstNameKana: 'アヤ',
  birthDate: '1992-07-15',
} as const;

const anotherPerson = (employee: Employee): Employee => ({ ...employee, ...ANOTHER });

export interface SeedResult {
  createdUsers: boolean;
  createdEmployees: number;
  createdConnections: string[];
}

/** Users, HR master and connections, each only when missing (a second start reuses the data). */
export async function seedHub(
  hub: Hub,
  vendors: readonly DemoVendor[],
  population: readonly Employee[],
): Promise<SeedResult> {
  const result: SeedResult = { createdUsers: false, createdEmployees: 0, createdConnections: [] };
  if (await hub.users.needsBootstrap()) {
    const { role: _, ...admin } = DEMO_USERS.admin;
    const first = await hub.users.bootstrap(admin);
    await hub.users.create(first.id, DEMO_USERS.member);
    result.createdUsers = true;
  }
  const admin = (await hub.users.list()).find((user) => user.role === 'admin');
  if (!admin) throw new Error('demo: no admin user');

  if ((await hub.employees.list({ pageSize: 1 })).total === 0) {
    for (const employee of population) await hub.employees.create(admin.id, employee);
    result.createdEmployees = population.length;
  }

  const existing = new Set((await hub.connections.list()).map((connection) => connection.connectorId));
  for (const { connector, credentials, fake } of vendors) {
    if (existing.has(connector.id)) continue;
    const [defaultArea] = fake.dataAreas();
    await hub.connections.create(admin.id, {
      connectorId: connector.id,
      displayName: connector.displayName,
      credentials,
      ...(connector.hasDataAreas && defaultArea ? { defaultDataArea: defaultArea } : {}),
    });
    result.createdConnections.push(connector.displayName);
  }
  return result;
}

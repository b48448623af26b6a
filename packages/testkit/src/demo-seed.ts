import type { Employee } from '@renkei/core';
import type { FakeVendor } from './fake.ts';
import { drift, generateEmployees } from './generate/index.ts';

/** The HR master's size in the demo, and how many of its employees no vendor has yet. */
const POPULATION = 240;
const HR_ONLY = 12;
const SEED = 20_261_123;

/** The demo's generated people (deterministic: every start sees the same ones). */
export function demoPopulation(): Employee[] {
  return generateEmployees({ count: POPULATION, seed: SEED });
}

/** Who the vendors hold under the demo's 別人の可能性 社員番号. */
const ANOTHER = {
  lastName: '岩崎',
  firstName: '彩',
  lastNameKana: 'イワサキ',
  firstNameKana: 'アヤ',
  birthDate: '1992-07-15',
} as const;

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
 * Seeds the fakes the way the demo shows them and returns the HR master to go with them. The HR
 * master keeps only people every vendor can hold (PCA refuses 貯蓄 accounts and an unspecified
 * gender, for instance), so a demo sync fails only when a fault is injected. Each vendor area holds a
 * drifted copy of most of the HR master (some changed, a few new hires of its own) and lacks its last
 * few people, so both directions show 差分なし, 差分あり and 新規登録 on first open.
 */
export function seedDemoFakes(fakes: readonly FakeVendor[], population: readonly Employee[]): Employee[] {
  const refused = new Set<string>();
  for (const fake of fakes) {
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
  fakes.forEach((fake, v) => {
    fake.dataAreas().forEach((area, a) => {
      // Drifting the whole HR master numbers the vendor's new hires after every HR employee.
      const copy = drift(hr, { seed: SEED + 97 * v + a, changed: 0.08, added: 0.05, cosmetic: 0 });
      seedEach(
        fake,
        area,
        copy.employees
          .filter((employee) => !hrOnly.has(employee.employeeCode))
          .map((employee) =>
            employee.employeeCode === mismatch?.employeeCode ? { ...employee, ...ANOTHER } : employee,
          ),
      );
    });
  });
  return hr;
}

import type { Employee } from '@renkei/core';
import type { EmployeeCreateBody, Group, JobcanEmployee, WorkKind } from '../api.ts';
import type { JobcanCredentials } from '../connector.ts';
import { toCreateBody } from '../mapper.ts';
import { JOBCAN } from '../vendor.ts';

/** The API client the fake accepts (fictional, never a real key). */
export const FAKE_CREDENTIALS = {
  clientId: 'renkei-fake-client',
  clientSecret: 'fake-secret-access-key-not-real',
  environment: '本番',
} as const satisfies JobcanCredentials;

/** スタッフ種別 of a new Jobcan account, plus any the test or demo adds. */
export const workKindMaster = (extra: readonly string[] = []): WorkKind[] =>
  [...new Set([...JOBCAN.defaultWorkKinds, ...extra])].map((name, index) => ({ id: index + 1, name }));

/** The group a new account starts with, and two more so 所属グループ can vary. */
export const GROUP_MASTER: readonly Group[] = [
  { id: 1, name: '本社', parent_id: null },
  { id: 2, name: '営業部', parent_id: 1 },
  { id: 3, name: '開発部', parent_id: 1 },
];

const STATUS: Record<NonNullable<Employee['status']>, JobcanEmployee['status']> = {
  employed: JOBCAN.status.employed,
  on_leave: JOBCAN.status.onLeave,
  retired: JOBCAN.status.retired,
};

/** What an admin would have registered for a canonical employee (the fake validates it like any create). */
export function toSeedBody(employee: Employee, workKinds: readonly WorkKind[]): EmployeeCreateBody {
  const mapped = toCreateBody(employee, workKinds);
  if (!mapped.ok)
    throw new Error(`jobcan fake: cannot seed ${employee.employeeCode}: ${mapped.error.message}`);
  return {
    ...mapped.body,
    last_name_kana: employee.lastNameKana ?? null,
    first_name_kana: employee.firstNameKana ?? null,
    retire_date: employee.retireDate ?? null,
    main_group: GROUP_MASTER[0]?.id ?? null,
    status: STATUS[employee.status ?? 'employed'],
  };
}

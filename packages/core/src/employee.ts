import { z } from 'zod';

/** `{ code?, name }` of a master entry (雇用形態, 部署, 役職, 社員区分). */
export const OrgRef = z.object({ code: z.string().optional(), name: z.string() });
export type OrgRef = z.infer<typeof OrgRef>;

export const Address = z.object({
  postalCode: z.string(),
  prefecture: z.string(),
  city: z.string(),
  street: z.string().optional(),
  building: z.string().optional(),
});
export type Address = z.infer<typeof Address>;

export const BankAccountType = z.enum(['ordinary', 'checking', 'savings']);
export const BankAccount = z.object({
  bankCode: z.string(),
  branchCode: z.string(),
  accountType: BankAccountType,
  accountNumber: z.string(),
  holderKana: z.string(),
});
export type BankAccount = z.infer<typeof BankAccount>;

export const Gender = z.enum(['male', 'female', 'unspecified']);
export const EmploymentStatus = z.enum(['employed', 'on_leave', 'retired']);

/**
 * The canonical employee. Every field but `employeeCode` is optional: `undefined` means "this
 * system does not hold it". Values may arrive in any notation a vendor uses (half-width kana,
 * 和暦 dates, …); `normaliseEmployee` (fields.ts) brings them to the normal form the diff compares.
 */
export const Employee = z.object({
  employeeCode: z.string().min(1),
  lastName: z.string().optional(),
  firstName: z.string().optional(),
  lastNameKana: z.string().optional(),
  firstNameKana: z.string().optional(),
  /** ビジネスネーム (旧姓・通称): written instead of the legal name where a connection prefers it. */
  businessLastName: z.string().optional(),
  businessFirstName: z.string().optional(),
  businessLastNameKana: z.string().optional(),
  businessFirstNameKana: z.string().optional(),
  birthDate: z.string().optional(),
  hireDate: z.string().optional(),
  retireDate: z.string().optional(),
  gender: Gender.optional(),
  status: EmploymentStatus.optional(),
  email: z.string().optional(),
  phone: z.string().optional(),
  employmentType: OrgRef.optional(),
  department: OrgRef.optional(),
  jobTitle: OrgRef.optional(),
  employeeCategory: OrgRef.optional(),
  address: Address.optional(),
  /** 給与振込口座: the first is the main account; most systems hold one. */
  bankAccounts: z.array(BankAccount).optional(),
});
export type Employee = z.infer<typeof Employee>;

/** Every field a connector can declare; `employeeCode` is the match key and always carried. */
export const FieldKey = Employee.keyof().exclude(['employeeCode']);
export type FieldKey = z.infer<typeof FieldKey>;
export const FIELD_KEYS: readonly FieldKey[] = FieldKey.options;

/** A partial write: `null` clears the target's value (only produced under the `mirror` mode). */
export type EmployeePatch = { [K in FieldKey]?: Employee[K] | null };

/** A validation problem with one field of one record, in words an HR admin can act on (Japanese). */
export const FieldIssue = z.object({
  field: z.union([FieldKey, z.literal('employeeCode'), z.literal('record')]),
  message: z.string(),
  value: z.unknown().optional(),
});
export type FieldIssue = z.infer<typeof FieldIssue>;

/** What a connector yields per record: a canonical employee, or an invalid entry (never a throw). */
export type ListedEmployee =
  | { ok: true; employee: Employee }
  | { ok: false; employeeCode?: string; issues: FieldIssue[]; raw?: unknown };

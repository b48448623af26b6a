import { z } from 'zod';
import { VENDOR } from './vendor.ts';

/** SmartHR's payloads as zod schemas: the only place its property names appear. */

export const EmpStatus = z.enum(VENDOR.empStatus);
export type EmpStatus = z.infer<typeof EmpStatus>;
export const SmarthrGender = z.enum(VENDOR.gender);

/** A master entry (雇用形態, 部署, 役職) as a crew carries it and the master lists it. */
export const MasterEntry = z.object({ id: z.string(), name: z.string(), code: z.string().nullable() });
export type MasterEntry = z.infer<typeof MasterEntry>;

export const CrewAddress = z.object({
  zip_code: z.string().nullable(),
  pref: z.string().nullable(),
  city: z.string().nullable(),
  street: z.string().nullable(),
  building: z.string().nullable(),
});

export const CrewBankAccount = z.object({
  bank_code: z.string(),
  bank_branch_code: z.string(),
  account_type: z.enum(VENDOR.accountType),
  account_number: z.string(),
  account_holder_name: z.string(),
});

/** The scalar properties a crew carries and a write sends alike (`null`: none / clear). */
const CrewScalars = {
  emp_status: EmpStatus.nullable(),
  last_name_yomi: z.string().nullable(),
  first_name_yomi: z.string().nullable(),
  /** ビジネスネーム (旧姓・通称) and its ヨミガナ. */
  business_last_name: z.string().nullable(),
  business_first_name: z.string().nullable(),
  business_last_name_yomi: z.string().nullable(),
  business_first_name_yomi: z.string().nullable(),
  birth_at: z.string().nullable(),
  gender: SmarthrGender.nullable(),
  email: z.string().nullable(),
  tel_number: z.string().nullable(),
  entered_at: z.string().nullable(),
  resigned_at: z.string().nullable(),
};

/** A crew (従業員) as the API returns it; only the properties Renkei reads. */
export const Crew = z.object({
  id: z.string(),
  emp_code: z.string().nullable(),
  last_name: z.string(),
  first_name: z.string(),
  ...CrewScalars,
  employment_type: MasterEntry.nullable(),
  departments: z.array(MasterEntry.nullable()),
  positions: z.array(MasterEntry.nullable()),
  address: CrewAddress.nullable(),
  bank_accounts: z.array(CrewBankAccount),
});
export type Crew = z.infer<typeof Crew>;

/** What a PATCH may carry (`null` clears). SmartHR takes `email` too; Renkei never sends it (read only). */
export const CrewUpdateBody = z
  .object({
    last_name: z.string().min(1),
    first_name: z.string().min(1),
    ...CrewScalars,
    employment_type_id: z.string().nullable(),
    department_ids: z.array(z.string()),
    position_ids: z.array(z.string()),
    address: CrewAddress.partial().nullable(),
    bank_accounts: z.array(CrewBankAccount),
  })
  .partial()
  .strict();
export type CrewUpdateBody = z.infer<typeof CrewUpdateBody>;
/** A POST: `last_name` and `first_name` are required, `emp_code` is Renkei's match key. */
export const CrewCreateBody = CrewUpdateBody.extend({
  emp_code: z.string().min(1),
  last_name: z.string().min(1),
  first_name: z.string().min(1),
}).strict();
export type CrewCreateBody = z.infer<typeof CrewCreateBody>;

/** Lists are read record by record by the mapper, so one bad record does not sink the page. */
export const CrewPage = z.array(z.unknown());
export const WrittenCrew = z.object({ id: z.string() });
export const MasterList = z.array(MasterEntry);

/** Every error body: `{code, type, message, errors}`. */
export const ErrorBody = z.object({
  code: z.number(),
  type: z.string(),
  message: z.string().optional(),
  errors: z
    .array(z.object({ field: z.string().optional(), code: z.string().optional(), message: z.string() }))
    .nullish(),
});
export type ErrorBody = z.infer<typeof ErrorBody>;

import { z } from 'zod';
import { JOBCAN } from './vendor.ts';

/**
 * The Jobcan API's payloads (docs/vendors.md): the only place its property names appear. Fields
 * beyond `id`, `last_name`, `first_name`, `main_group`, `sub_group` and `work_kind` are modelled.
 */

const { employed, onLeave, retired } = JOBCAN.status;
export const StaffStatus = z.union([z.literal(employed), z.literal(onLeave), z.literal(retired)]);

/** A staff record as the API returns it. */
export const JobcanEmployee = z.object({
  id: z.number().int(),
  code: z.string(),
  last_name: z.string(),
  first_name: z.string(),
  last_name_kana: z.string().nullable(),
  first_name_kana: z.string().nullable(),
  email: z.string(),
  main_group: z.number().int().nullable(),
  sub_group: z.array(z.number().int()),
  work_kind: z.number().int(),
  hire_date: z.string().nullable(),
  retire_date: z.string().nullable(),
  birthday: z.string().nullable(),
  tel: z.string().nullable(),
  status: StaffStatus,
});
export type JobcanEmployee = z.infer<typeof JobcanEmployee>;

/** What a write may carry: everything but the server's `id`; `null` clears. */
export const EmployeeUpdateBody = JobcanEmployee.omit({ id: true, code: true }).partial().strict();
export type EmployeeUpdateBody = z.infer<typeof EmployeeUpdateBody>;
export const EmployeeCreateBody = EmployeeUpdateBody.extend({ code: z.string() }).strict();
export type EmployeeCreateBody = z.infer<typeof EmployeeCreateBody>;

/** Pages are read record by record by the mapper, so one bad record does not sink the page. */
export const EmployeePage = z.object({ employees: z.array(z.unknown()) });
export const EmployeeEnvelope = z.object({ employee: z.unknown() });
/** A write's answer: the stored record (only its identity is needed). */
export const WrittenEmployee = z.object({ employee: z.object({ id: z.number().int(), code: z.string() }) });

export const WorkKind = z.object({ id: z.number().int(), name: z.string() });
export type WorkKind = z.infer<typeof WorkKind>;
export const WorkKindList = z.object({ work_kinds: z.array(WorkKind) });

export const Group = z.object({
  id: z.number().int(),
  name: z.string(),
  parent_id: z.number().int().nullable(),
});
export type Group = z.infer<typeof Group>;
export const GroupList = z.object({ groups: z.array(Group) });

export const TokenResponse = z.object({
  access_token: z.string().min(1),
  token_type: z.string().optional(),
  /** Seconds; when absent the token is used until the API refuses it. */
  expires_in: z.number().positive().optional(),
  scope: z.string().optional(),
});

/** Every error body: `{"error": <code>, "message": <text>}`. */
export const ErrorCode = z.enum([
  'invalid_request',
  'invalid_client',
  'unsupported_grant_type',
  'invalid_scope',
  'invalid_token',
  'insufficient_scope',
  'validation_error',
  'not_found',
  'duplicate_code',
  'too_many_requests',
  'server_error',
]);
export type ErrorCode = z.infer<typeof ErrorCode>;
export const ErrorBody = z.object({ error: z.string(), message: z.string().optional() });

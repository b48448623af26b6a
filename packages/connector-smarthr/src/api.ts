import { z } from 'zod';

/** SmartHR's payloads as zod schemas: the only place its property names appear. */

export const VendorStatus = z.enum(['active', 'leave', 'retired']);
export type VendorStatus = z.infer<typeof VendorStatus>;

/** An employee as the API returns it. */
export const VendorEmployee = z.object({
  id: z.number().int(),
  code: z.string(),
  last_name: z.string().nullable(),
  first_name: z.string().nullable(),
  last_name_kana: z.string().nullable(),
  first_name_kana: z.string().nullable(),
  birth_date: z.string().nullable(),
  hire_date: z.string().nullable(),
  email: z.string().nullable(),
  tel: z.string().nullable(),
  status: VendorStatus.nullable(),
});
export type VendorEmployee = z.infer<typeof VendorEmployee>;
export type VendorFields = Omit<VendorEmployee, 'id' | 'code'>;

/** What a write may carry: everything but the server's `id`, the code and `tel` (read-only); `null` clears. */
export const EmployeeUpdateBody = VendorEmployee.omit({ id: true, code: true, tel: true }).partial().strict();
export const EmployeeCreateBody = EmployeeUpdateBody.extend({ code: z.string() }).strict();

/** Pages are read record by record by the mapper, so one bad record does not sink the page. */
export const EmployeePage = z.object({ employees: z.array(z.unknown()) });
export const EmployeeEnvelope = z.object({ employee: z.unknown() });

/** Every error body: `{"error": <code>, "message": <text>}`. */
export const ErrorBody = z.object({ error: z.string(), message: z.string().optional() });

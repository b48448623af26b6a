import { z } from 'zod';

/**
 * The reference vendor: a small JSON REST API (OAuth client-credentials bearer tokens that expire,
 * cursor paging, a batch write endpoint with per-record results, 429 with Retry-After). These are
 * its payloads; the only place its names appear.
 */
export const REFERENCE_BASE_URL = 'https://api.reference-hr.test/v1';

/** Most operations one batch call accepts. */
export const MAX_BATCH_OPERATIONS = 25;
/** Most records per page (and most codes per lookup). */
export const MAX_PAGE_SIZE = 100;

/** The vendor's documented 社員番号 rule and its words (the fake enforces it; the connector checks it first). */
export const EMPLOYEE_CODE_RULE = {
  pattern: /^[A-Za-z0-9-]{1,20}$/,
  message: '社員番号は半角英数字とハイフン20文字以内で入力してください。',
} as const;

export const VendorOrg = z.object({ code: z.string().nullable(), name: z.string() });
export type VendorOrg = z.infer<typeof VendorOrg>;

/** What the vendor can store per employee (all but `code` nullable). */
export const VendorEmployeeFields = z.object({
  code: z.string(),
  last_name: z.string().nullable(),
  first_name: z.string().nullable(),
  last_name_kana: z.string().nullable(),
  first_name_kana: z.string().nullable(),
  birth_date: z.string().nullable(),
  hire_date: z.string().nullable(),
  retire_date: z.string().nullable(),
  gender: z.enum(['M', 'F', 'U']).nullable(),
  status: z.enum(['active', 'leave', 'retired']).nullable(),
  email: z.string().nullable(),
  phone: z.string().nullable(),
  department: VendorOrg.nullable(),
  job_title: VendorOrg.nullable(),
  employment_type: VendorOrg.nullable(),
});
export type VendorEmployeeFields = z.infer<typeof VendorEmployeeFields>;
export type VendorFieldName = Exclude<keyof VendorEmployeeFields, 'code'>;

export const VendorEmployee = VendorEmployeeFields.extend({ id: z.string(), updated_at: z.string() });
export type VendorEmployee = z.infer<typeof VendorEmployee>;

/** Records are checked one by one by the connector (a bad one is reported, not thrown). */
export const EmployeePage = z.object({
  employees: z.array(z.unknown()),
  next_cursor: z.string().nullable(),
});

export const TokenResponse = z.object({
  access_token: z.string(),
  token_type: z.literal('Bearer'),
  expires_in: z.number(),
});

export const AreaList = z.object({ areas: z.array(z.object({ id: z.string(), name: z.string() })) });

const WritableFields = VendorEmployeeFields.omit({ code: true }).partial().strict();

export const BatchOperation = z.discriminatedUnion('op', [
  z.object({ op: z.literal('create'), employee: WritableFields.extend({ code: z.string() }).strict() }),
  z.object({ op: z.literal('update'), code: z.string(), changes: WritableFields }),
]);
export type BatchOperation = z.infer<typeof BatchOperation>;

export const BatchRequest = z.object({ operations: z.array(BatchOperation).min(1) });

export const VendorRecordError = z.object({
  code: z.enum(['VALIDATION', 'NOT_FOUND', 'DUPLICATE_CODE']),
  message: z.string(),
  field: z.string().optional(),
});

export const BatchResult = z.discriminatedUnion('status', [
  z.object({ index: z.number(), code: z.string(), status: z.literal('ok'), id: z.string() }),
  z.object({ index: z.number(), code: z.string(), status: z.literal('error'), error: VendorRecordError }),
]);
export const BatchResponse = z.object({ results: z.array(BatchResult) });
export type BatchResponse = z.infer<typeof BatchResponse>;

/** The vendor's error body for non-2xx answers. */
export const VendorError = z.object({ error: z.string(), message: z.string().optional() });

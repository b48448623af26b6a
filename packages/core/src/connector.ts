import { z } from 'zod';
import type { Clock, Logger } from './clock.ts';
import {
  type Employee,
  type EmployeePatch,
  FIELD_KEYS,
  FieldIssue,
  type FieldKey,
  type ListedEmployee,
} from './employee.ts';
import { type ConnectorErrorInfo, isConnectorError } from './errors.ts';
import type { LoginHold, RateBudget } from './http/types.ts';

/** How a connector carries a field: this *is* 連携可能な従業員情報. */
export const FieldAccess = z.enum(['read', 'write', 'readWrite']);
export type FieldAccess = z.infer<typeof FieldAccess>;
export type ConnectorFields = Partial<Record<FieldKey, FieldAccess>>;

export const canRead = (access: FieldAccess | undefined): boolean =>
  access === 'read' || access === 'readWrite';
export const canWrite = (access: FieldAccess | undefined): boolean =>
  access === 'write' || access === 'readWrite';

/** Requests are classed so a limit can apply to some of them (PCA: OAuth 10/min, writes 20/min). */
export type RequestClass = 'auth' | 'read' | 'write';

export interface RateLimit {
  limit: number;
  intervalMs: number;
  /** The request classes this limit counts; all classes when omitted. */
  appliesTo?: readonly RequestClass[];
}

export interface ConnectorLimits {
  rateLimits: readonly RateLimit[];
  /** Requests in flight at once. */
  concurrency: number;
  /** Records per write call. */
  writeBatchSize: number;
}

export interface DataArea {
  id: string;
  name: string;
  description?: string;
  /** The 処理年度 the area holds (YYYY-MM-DD, inclusive), where the vendor says. */
  period?: { start: string; end: string };
  /** The company (or tenant) the area belongs to: its areas are its successive years. */
  group?: string;
}

/** The single area of a vendor that has none (Jobcan, the HR master). */
export const IMPLICIT_DATA_AREA: DataArea = { id: 'default', name: '既定' };

export type EmployeeWrite =
  | { op: 'create'; employeeCode: string; values: Employee }
  | { op: 'update'; employeeCode: string; changes: EmployeePatch };

export type WriteResult =
  | { employeeCode: string; ok: true; op: 'create' | 'update' }
  | { employeeCode: string; ok: false; error: ConnectorErrorInfo };

/** The errors that are a vendor's refusal of one record, not of the exchange. */
const RECORD_ERRORS: ReadonlySet<string> = new Set(['validation', 'conflict', 'not_found']);

/**
 * One write of a connector that sends a request per employee: the vendor's refusal of this record
 * (validation, conflict, not_found) is its result; any other failure (5xx, 429 past its retries, a
 * lost answer) is thrown, so apply retries, splits or — when the vendor may have acted — looks first.
 */
export async function settleWrite(
  write: Pick<EmployeeWrite, 'employeeCode' | 'op'>,
  send: () => Promise<unknown>,
): Promise<WriteResult> {
  const { employeeCode, op } = write;
  try {
    await send();
    return { employeeCode, ok: true, op };
  } catch (error) {
    if (isConnectorError(error) && RECORD_ERRORS.has(error.kind)) {
      return { employeeCode, ok: false, error: error.toJSON() };
    }
    throw error;
  }
}

/**
 * A write the target would refuse, found before writing: the write's 社員番号 and every reason, in
 * the words `writeEmployees` would report them.
 */
export const WriteCheck = z.object({ employeeCode: z.string(), issues: z.array(FieldIssue).min(1) });
export type WriteCheck = z.infer<typeof WriteCheck>;

/** What a connector is given by whoever runs it: I/O and time come from here, never from globals. */
export interface ConnectorContext {
  fetch: typeof globalThis.fetch;
  logger: Logger;
  signal: AbortSignal;
  clock: Clock;
  /** A source of randomness for jitter; seeded in tests. */
  random?: () => number;
  /**
   * The connection's rate budget beyond this process (several workers share one vendor account):
   * a session's limiter takes every request from it too (see `connectionLimiter`).
   */
  rateBudget?: RateBudget;
  /**
   * Where a connector that cannot log in twice safely (a login holds a licence) records a login whose
   * answer was lost, for every process of the connection. Absent: the session keeps it to itself.
   */
  loginHold?: LoginHold;
}

/** An open connection to a vendor. Errors are ConnectorErrors; one bad record never throws. */
export interface ConnectorSession {
  /** Verifies the credentials against the vendor; throws a ConnectorError (`auth`) when refused. */
  check(): Promise<void>;
  listDataAreas(): Promise<DataArea[]>;
  listEmployees(area: string): AsyncIterable<ListedEmployee>;
  /** The records among `codes` that exist (for stale checks and idempotent creates). */
  getEmployees(area: string, codes: readonly string[]): Promise<ListedEmployee[]>;
  /** At most `limits.writeBatchSize` writes; one result per write, in order. */
  writeEmployees(area: string, writes: readonly EmployeeWrite[]): Promise<WriteResult[]>;
  /**
   * The writes among `writes` (any number) the target would refuse with a `validation` error, found
   * without writing anything and at a cost of a few reads (masters, current records in bulk), never
   * one request per employee; writes it cannot judge without writing pass. Optional: a preview
   * without it learns of refusals only when the run writes.
   */
  checkWrites?(area: string, writes: readonly EmployeeWrite[]): Promise<WriteCheck[]>;
  /**
   * How this area compares 社員番号 when matching, where it is not exact string equality (PCA areas
   * that zero-pad treat `00123` and `123` as one employee). Undefined: exact match.
   */
  employeeCodeKey?(area: string): ((code: string) => string) | undefined;
  /**
   * The values this connection gives every employee it creates where the vendor needs one in use and
   * the HR master holds none (Jobcan's メイングループ): each setting with the vendor's own choices and
   * the one chosen in 連携設定. Optional.
   */
  newEmployeeDefaults?(): Promise<NewEmployeeDefault[]>;
  close(): Promise<void>;
}

/** A 連携設定 value for new employees: a credentials key, its label, the vendor's choices, the one set. */
export interface NewEmployeeDefault {
  key: string;
  label: string;
  choices: readonly { value: string; label: string }[];
  /** The chosen value and its label; absent when none is set. */
  value?: string;
  valueLabel?: string;
}

export type ConnectorKind = 'hr' | 'payroll' | 'attendance';

// biome-ignore lint/suspicious/noExplicitAny: any credentials schema object
export type AnyCredentialsSchema = z.ZodObject<any>;

export interface ConnectorDefinition<C extends AnyCredentialsSchema = AnyCredentialsSchema> {
  id: string;
  /** Japanese, shown in the UI (e.g. PCAクラウド給与). */
  displayName: string;
  kind: ConnectorKind;
  description?: string;
  /** Also the 連携設定 form; secret fields carry `.meta({ secret: true })` (see `secret()`). */
  credentials: C;
  fields: ConnectorFields;
  limits: ConnectorLimits;
  /** Whether the vendor has データ領域 to choose from (PCA); otherwise one implicit area. */
  hasDataAreas: boolean;
  connect(credentials: z.infer<C>, context: ConnectorContext): Promise<ConnectorSession>;
}

export function defineConnector<C extends AnyCredentialsSchema>(
  definition: ConnectorDefinition<C>,
): ConnectorDefinition<C> {
  const unknownFields = Object.keys(definition.fields).filter((key) => !FIELD_KEY_SET.has(key));
  if (unknownFields.length > 0) {
    throw new TypeError(`connector ${definition.id}: unknown fields ${unknownFields.join(', ')}`);
  }
  if (definition.limits.writeBatchSize < 1 || definition.limits.concurrency < 1) {
    throw new TypeError(`connector ${definition.id}: limits must allow at least one request`);
  }
  return definition;
}

const FIELD_KEY_SET: ReadonlySet<string> = new Set(FIELD_KEYS);

export interface CredentialMeta {
  [key: string]: unknown;
  label: string;
  secret?: boolean;
  placeholder?: string;
  help?: string;
}

/** A credential field: a label for the 連携設定 form, and whether it is a secret. */
export function credential<T extends z.ZodType>(schema: T, meta: CredentialMeta): T {
  return schema.meta(meta) as T;
}

/** Shorthand for a secret credential: stored encrypted, never shown again. */
export function secret(label: string, help?: string): z.ZodString {
  return credential(z.string().min(1, `${label}を入力してください。`), {
    label,
    secret: true,
    ...(help ? { help } : {}),
  });
}

export interface CredentialFieldInfo extends CredentialMeta {
  key: string;
  required: boolean;
  /** Allowed values when the field is an enum (rendered as a select). */
  options?: readonly string[];
}

/** The form fields of a credentials schema, in declaration order. */
export function describeCredentials(schema: AnyCredentialsSchema): CredentialFieldInfo[] {
  return Object.entries(schema.shape as Record<string, z.ZodType>).map(([key, field]) => {
    const meta = (field.meta() ?? {}) as Partial<CredentialMeta>;
    const required = !field.safeParse(undefined).success;
    const inner = field instanceof z.ZodOptional || field instanceof z.ZodDefault ? field.unwrap() : field;
    const options = inner instanceof z.ZodEnum ? (inner.options as string[]) : undefined;
    return {
      key,
      label: meta.label ?? key,
      required,
      ...(meta.secret ? { secret: true } : {}),
      ...(meta.placeholder ? { placeholder: meta.placeholder } : {}),
      ...(meta.help ? { help: meta.help } : {}),
      ...(options ? { options } : {}),
    };
  });
}

/** The names of the secret credentials (to redact and to encrypt). */
export function secretCredentialKeys(schema: AnyCredentialsSchema): string[] {
  return describeCredentials(schema)
    .filter((field) => field.secret)
    .map((field) => field.key);
}

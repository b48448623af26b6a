// The one PostgreSQL schema (PGlite and PostgreSQL server alike). Migrations in ../../drizzle are
// generated from this file with `pnpm --filter @renkei/hub db:generate`.
import type {
  Address,
  BankAccount,
  ConnectorErrorInfo,
  EmployeeOutcome,
  FieldChange,
  FieldIssue,
  FieldKey,
  Identity,
  OrgRef,
  PlanStatus,
  PlanSummary,
  SyncModes,
} from '@renkei/core';
import { sql } from 'drizzle-orm';
import {
  bigint,
  boolean,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import type { DirectionPolicy, SyncPolicy } from '../automation/policy.ts';

const createdAt = () => timestamp('created_at', { withTimezone: true }).notNull().defaultNow();
const at = (name: string) => timestamp(name, { withTimezone: true });

export const users = pgTable('users', {
  id: uuid('id').primaryKey().defaultRandom(),
  email: text('email').notNull().unique(),
  name: text('name').notNull(),
  role: text('role', { enum: ['admin', 'member'] }).notNull(),
  passwordHash: text('password_hash').notNull(),
  /**
   * How a successful run is notified: `quiet` (default) records it already read and sends no mail;
   * `unread` treats it like a failure. Failures, partial failures and cancels are always unread.
   */
  successNotice: text('success_notice', { enum: ['quiet', 'unread'] })
    .notNull()
    .default('quiet'),
  createdAt: createdAt(),
  updatedAt: at('updated_at').notNull().defaultNow(),
  /** Set when an admin deactivates the account: it can no longer sign in; its history stays. */
  deactivatedAt: at('deactivated_at'),
});

/** Who changed what outside the employee and run trails (users and roles, first set-up). */
export const auditLog = pgTable(
  'audit_log',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    /** `user:<id>`, `token:<id>`, `cli`, `setup` (the one-time set-up page) or `sign-in`. */
    actor: text('actor').notNull(),
    action: text('action').notNull(),
    /** What was changed, e.g. `user:<id>`. */
    target: text('target'),
    details: jsonb('details').$type<Record<string, unknown>>().notNull().default({}),
    createdAt: createdAt(),
  },
  (t) => [index('audit_log_created_idx').on(t.createdAt)],
);

/** The one-time set-up links printed while no user exists (sha256 of the token; single use). */
export const setupTokens = pgTable('setup_tokens', {
  tokenHash: text('token_hash').primaryKey(),
  expiresAt: at('expires_at').notNull(),
  usedAt: at('used_at'),
  createdAt: createdAt(),
});

export const sessions = pgTable(
  'sessions',
  {
    /** sha256 of the token: a leaked table does not sign anyone in. */
    tokenHash: text('token_hash').primaryKey(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    expiresAt: at('expires_at').notNull(),
    createdAt: createdAt(),
  },
  (t) => [index('sessions_user_idx').on(t.userId)],
);

/**
 * Failed sign-ins per key (`account:<email>`, `address:<client>`), in the database so a restart
 * does not forget them and every serve process sharing the database counts the same failures.
 */
export const signInFailures = pgTable(
  'sign_in_failures',
  {
    key: text('key').primaryKey(),
    failures: integer('failures').notNull(),
    lastFailureAt: at('last_failure_at').notNull(),
    lockedUntil: at('locked_until'),
  },
  (t) => [index('sign_in_failures_last_idx').on(t.lastFailureAt)],
);

/** One column per canonical field but 社員番号, keyed by the canonical name (the HR master's, and a staged import's). */
const employeeFields = () => ({
  lastName: text('last_name'),
  firstName: text('first_name'),
  lastNameKana: text('last_name_kana'),
  firstNameKana: text('first_name_kana'),
  businessLastName: text('business_last_name'),
  businessFirstName: text('business_first_name'),
  businessLastNameKana: text('business_last_name_kana'),
  businessFirstNameKana: text('business_first_name_kana'),
  birthDate: text('birth_date'),
  hireDate: text('hire_date'),
  retireDate: text('retire_date'),
  gender: text('gender', { enum: ['male', 'female', 'unspecified'] }),
  status: text('status', { enum: ['employed', 'on_leave', 'retired'] }),
  email: text('email'),
  phone: text('phone'),
  employmentType: jsonb('employment_type').$type<OrgRef>(),
  department: jsonb('department').$type<OrgRef>(),
  jobTitle: jsonb('job_title').$type<OrgRef>(),
  employeeCategory: jsonb('employee_category').$type<OrgRef>(),
  address: jsonb('address').$type<Address>(),
  bankAccounts: jsonb('bank_accounts').$type<BankAccount[]>(),
});

/** The HR master (従業員リスト): one column per canonical field, keyed by the canonical name. */
export const employees = pgTable(
  'employees',
  {
    employeeCode: text('employee_code').primaryKey(),
    ...employeeFields(),
    /** Lower-cased 社員番号 姓名 フリガナ, for search. */
    searchText: text('search_text').notNull().default(''),
    createdAt: createdAt(),
    createdBy: text('created_by').notNull(),
    updatedAt: at('updated_at').notNull().defaultNow(),
    updatedBy: text('updated_by').notNull(),
  },
  (t) => [index('employees_search_idx').on(t.searchText)],
);

/** Every write to the HR master: who, when, before, after. */
export const employeeChanges = pgTable(
  'employee_changes',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    employeeCode: text('employee_code').notNull(),
    op: text('op', { enum: ['create', 'update'] }).notNull(),
    changes: jsonb('changes').$type<FieldChange[]>().notNull(),
    actor: text('actor').notNull(),
    createdAt: createdAt(),
    /**
     * Set on the entries of a staged CSV import (its stage's name), written while the file is read:
     * they count only once the import is in `published_imports` (employees/import-staging.ts).
     */
    importStage: text('import_stage'),
  },
  (t) => [
    index('employee_changes_code_idx').on(t.employeeCode, t.createdAt),
    index('employee_changes_import_stage_idx').on(t.importStage).where(sql`${t.importStage} is not null`),
  ],
);

/** The staged CSV imports that were published: their audit entries count from then on. */
export const publishedImports = pgTable('published_imports', {
  stage: text('stage').primaryKey(),
  publishedAt: timestamp('published_at', { withTimezone: true }).notNull().defaultNow(),
});

/**
 * The shape of a CSV import's staged rows. It holds none itself: each import stages into a table of
 * its own made like it (employees/import-staging.ts) and drops that table when it is over.
 */
export const employeeImportRows = pgTable('employee_import_rows', {
  employeeCode: text('employee_code').notNull(),
  ...employeeFields(),
  searchText: text('search_text').notNull(),
  /** The file's line the row starts on: one row per line, published in ranges of lines. */
  line: integer('line').primaryKey(),
  /** The stored row's version (`xmin`) it was validated against; null when it was new. */
  baseVersion: text('base_version'),
});

export const connections = pgTable('connections', {
  id: uuid('id').primaryKey().defaultRandom(),
  connectorId: text('connector_id').notNull(),
  displayName: text('display_name').notNull(),
  /** AES-256-GCM envelope of the credentials JSON (base64); see secrets/cipher.ts. */
  credentialsSealed: text('credentials_sealed').notNull(),
  credentialKeys: jsonb('credential_keys').$type<string[]>().notNull(),
  fieldModes: jsonb('field_modes').$type<SyncModes>().notNull(),
  /** How OrgRefs (部署, 雇用形態, 役職) match: by code when both have one, or by name only (core's OrgRefMatch). */
  orgRefMatch: text('org_ref_match', { enum: ['code', 'name'] })
    .notNull()
    .default('code'),
  /** Which name exports write as 姓/名: the legal one, or the ビジネスネーム where set (core's NamePreference). */
  namePreference: text('name_preference', { enum: ['legal', 'business'] })
    .notNull()
    .default('legal'),
  defaultDataArea: text('default_data_area'),
  /** 同期ルール per direction (automation/policy.ts); null until saved (every field, every employee). */
  syncPolicy: jsonb('sync_policy').$type<SyncPolicy>(),
  createdAt: createdAt(),
  createdBy: uuid('created_by').notNull(),
  updatedAt: at('updated_at').notNull().defaultNow(),
});

export const previews = pgTable(
  'previews',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    connectionId: uuid('connection_id')
      .notNull()
      .references(() => connections.id, { onDelete: 'cascade' }),
    direction: text('direction', { enum: ['import', 'export'] }).notNull(),
    dataArea: text('data_area').notNull(),
    /** The area's name as the vendor listed it; null where the connector has no データ領域. */
    dataAreaName: text('data_area_name'),
    fields: jsonb('fields').$type<FieldKey[]>().notNull(),
    modes: jsonb('modes').$type<SyncModes>().notNull(),
    summary: jsonb('summary').$type<PlanSummary>().notNull(),
    targetOnlyCodes: jsonb('target_only_codes').$type<string[]>().notNull(),
    /**
     * 在籍者のみ: the HR employees were narrowed to those employed on `basisDate` (情報取得基準日);
     * `excluded` were left out. Null when every employee was compared.
     */
    employmentFilter: jsonb('employment_filter').$type<{ basisDate: string; excluded: number }>(),
    /** 連携設定's values for new employees at preview time (label and the chosen value's name). */
    newEmployeeDefaults: jsonb('new_employee_defaults').$type<{ label: string; value: string }[]>(),
    /** Whether this export compared and writes the ビジネスネーム as 姓/名 (the connection's setting then). */
    businessName: boolean('business_name').notNull().default(false),
    /** The 同期ルール the plan was made under (shown in 確認 and kept with the run). */
    policy: jsonb('policy').$type<DirectionPolicy>(),
    createdAt: createdAt(),
    createdBy: uuid('created_by').notNull(),
  },
  (t) => [index('previews_connection_idx').on(t.connectionId, t.createdAt)],
);

/** One row per plan entry: the picker pages through these by (status, seq). */
export const previewEntries = pgTable(
  'preview_entries',
  {
    previewId: uuid('preview_id')
      .notNull()
      .references(() => previews.id, { onDelete: 'cascade' }),
    /** Position in the plan (社員番号, natural order). */
    seq: integer('seq').notNull(),
    employeeCode: text('employee_code').notNull(),
    /** The matched target record's own 社員番号 where it is spelled differently (000123 ⇔ 123). */
    targetEmployeeCode: text('target_employee_code'),
    status: text('status').$type<PlanStatus>().notNull(),
    name: text('name'),
    /** Lower-cased code and name, for search. */
    searchText: text('search_text').notNull(),
    changes: jsonb('changes').$type<FieldChange[]>().notNull(),
    issues: jsonb('issues').$type<FieldIssue[]>().notNull(),
    fingerprint: text('fingerprint'),
    selectable: boolean('selectable').notNull(),
    /** Both people of a 別人の可能性 entry, side by side; null otherwise. */
    identity: jsonb('identity').$type<{ source: Identity; target: Identity }>(),
  },
  (t) => [
    primaryKey({ columns: [t.previewId, t.seq] }),
    index('preview_entries_code_idx').on(t.previewId, t.employeeCode),
    index('preview_entries_status_idx').on(t.previewId, t.status, t.seq),
  ],
);

export const RUN_STATUSES = [
  'queued',
  'running',
  'succeeded',
  'partially_failed',
  'failed',
  'cancelled',
] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];

export const runs = pgTable(
  'runs',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    connectionId: uuid('connection_id')
      .notNull()
      .references(() => connections.id, { onDelete: 'cascade' }),
    previewId: uuid('preview_id')
      .notNull()
      .references(() => previews.id),
    direction: text('direction', { enum: ['import', 'export'] }).notNull(),
    dataArea: text('data_area').notNull(),
    status: text('status', { enum: RUN_STATUSES }).notNull(),
    startedBy: uuid('started_by').notNull(),
    total: integer('total').notNull(),
    retryOf: uuid('retry_of'),
    createdAt: createdAt(),
    startedAt: at('started_at'),
    finishedAt: at('finished_at'),
    /** Set by `runs.cancel`: workers stop at their next batch boundary. */
    cancelRequestedAt: at('cancel_requested_at'),
    cancelledBy: uuid('cancelled_by'),
    /** 手動 (the wizard, a retry) or 自動 (a schedule, an incoming trigger). */
    trigger: text('trigger', { enum: ['manual', 'schedule', 'webhook'] })
      .notNull()
      .default('manual'),
    /** The 同期ルール the run followed, as its preview was made under it. */
    policy: jsonb('policy').$type<DirectionPolicy>(),
  },
  (t) => [
    index('runs_history_idx').on(t.connectionId, t.createdAt),
    // The database itself refuses a second active run of one connection and area.
    uniqueIndex('runs_one_active_idx')
      .on(t.connectionId, t.dataArea)
      .where(sql`status in ('queued', 'running')`),
  ],
);

/**
 * A connection's lease: the one worker (chunk execution) allowed to hold vendor sessions for it. Held
 * until released or `expiresAt` passes without a heartbeat (a killed worker); see runs/lease.ts.
 */
export const connectionLeases = pgTable('connection_leases', {
  connectionId: uuid('connection_id')
    .primaryKey()
    .references(() => connections.id, { onDelete: 'cascade' }),
  holder: text('holder').notNull(),
  expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
});

/**
 * A connection's rate budget across processes: each request counted in one of its connector's rate
 * windows (`window` = index in `limits.rateLimits`); see connections/rate-budget.ts.
 */
export const rateBudgetStarts = pgTable(
  'rate_budget_starts',
  {
    /** Identifies the request's rows, so its answer can settle them. */
    slot: uuid('slot'),
    connectionId: uuid('connection_id')
      .notNull()
      .references(() => connections.id, { onDelete: 'cascade' }),
    window: integer('window').notNull(),
    /** Epoch milliseconds on the hub's clock (worker hosts keep their clocks in sync, as for pg-boss). */
    startedAt: bigint('started_at', { mode: 'number' }).notNull(),
    /**
     * The latest time the vendor can have received the request: when its answer (or failure) came
     * back, or, while it is in flight, when its process would have given up on it.
     */
    seenBy: bigint('seen_by', { mode: 'number' }).notNull(),
  },
  (t) => [index('rate_budget_starts_idx').on(t.connectionId, t.window, t.seenBy)],
);

/**
 * A connection whose login answer was lost: the vendor may hold a session (a licence) nobody can log
 * out, so no process of the hub logs in blind before `until` (see connections/login-hold.ts).
 */
export const connectionLoginHolds = pgTable('connection_login_holds', {
  connectionId: uuid('connection_id')
    .primaryKey()
    .references(() => connections.id, { onDelete: 'cascade' }),
  /** Epoch milliseconds: when the login whose answer was lost was sent. */
  since: bigint('since', { mode: 'number' }).notNull(),
  /** Epoch milliseconds: when the vendor frees that session at the latest. */
  until: bigint('until', { mode: 'number' }).notNull(),
});

/** `pending` until recorded; then apply's outcome status. */
export const RUN_OUTCOMES = [
  'pending',
  'created',
  'updated',
  /** A create that found the employee already holding the values: nothing was created. */
  'already_present',
  'stale',
  'failed',
  'skipped',
  /** The write's result could not be confirmed (未確認); the next preview settles it. */
  'ambiguous',
  'not_attempted',
] as const;
export type RunOutcome = (typeof RUN_OUTCOMES)[number];

/** Per employee of a run: its outcome and the field changes actually applied (the audit trail). */
export const runItems = pgTable(
  'run_items',
  {
    runId: uuid('run_id')
      .notNull()
      .references(() => runs.id, { onDelete: 'cascade' }),
    seq: integer('seq').notNull(),
    employeeCode: text('employee_code').notNull(),
    name: text('name'),
    chunk: integer('chunk').notNull(),
    outcome: text('outcome', { enum: RUN_OUTCOMES }).notNull().default('pending'),
    /** apply's EmployeeOutcome as recorded (carried over when a run resumes). */
    detail: jsonb('detail').$type<EmployeeOutcome>(),
    error: jsonb('error').$type<ConnectorErrorInfo>(),
    message: text('message'),
    changes: jsonb('changes').$type<FieldChange[]>().notNull().default([]),
    /**
     * The worker process that took the employee's chunk (and recorded its outcome). Null = no worker
     * has started it, so a cancel may mark it not attempted.
     */
    worker: text('worker'),
    finishedAt: at('finished_at'),
  },
  (t) => [
    primaryKey({ columns: [t.runId, t.employeeCode] }),
    index('run_items_seq_idx').on(t.runId, t.seq),
    index('run_items_chunk_idx').on(t.runId, t.chunk),
  ],
);

export interface NotificationPayload {
  /** Per outcome; notifications made before an outcome existed lack its key. */
  counts: Partial<Record<RunOutcome, number>>;
  /** The employees not written (failed, stale, unconfirmed, skipped) with why; `outcome` absent in old ones. */
  failures: { employeeCode: string; message: string; outcome?: RunOutcome }[];
}

/** The outbox: an in-app notification, and its mail while SMTP is configured. */
export const notifications = pgTable(
  'notifications',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    runId: uuid('run_id').references(() => runs.id, { onDelete: 'set null' }),
    title: text('title').notNull(),
    body: text('body').notNull(),
    payload: jsonb('payload').$type<NotificationPayload>().notNull(),
    readAt: at('read_at'),
    mail: text('mail', { enum: ['none', 'pending', 'sent', 'failed'] }).notNull(),
    mailAttempts: integer('mail_attempts').notNull().default(0),
    mailNextAttemptAt: at('mail_next_attempt_at'),
    mailLastError: text('mail_last_error'),
    mailSentAt: at('mail_sent_at'),
    createdAt: createdAt(),
  },
  (t) => [
    index('notifications_user_idx').on(t.userId, t.createdAt),
    index('notifications_mail_idx').on(t.mail, t.mailNextAttemptAt),
    uniqueIndex('notifications_run_idx').on(t.runId),
  ],
);

/**
 * スケジュール: one per connection and direction. pg-boss holds the timer (its schedule keyed by this
 * id, cron evaluated in Asia/Tokyo); this row holds what the admin chose and the guard rail.
 */
export const schedules = pgTable(
  'schedules',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    connectionId: uuid('connection_id')
      .notNull()
      .references(() => connections.id, { onDelete: 'cascade' }),
    direction: text('direction', { enum: ['import', 'export'] }).notNull(),
    /** 毎日 / 平日 / 毎時 or a custom cron (`custom`). */
    preset: text('preset', { enum: ['daily', 'weekdays', 'hourly', 'custom'] }).notNull(),
    /** Five-field cron, Asia/Tokyo. */
    cron: text('cron').notNull(),
    enabled: boolean('enabled').notNull().default(true),
    /** A run stops before writing when it would change more than this share (percent) of employees. */
    maxChangePercent: integer('max_change_percent').notNull().default(10),
    /** The admin the automatic runs act for (their notifications, the run's 実行者). */
    ownerId: uuid('owner_id')
      .notNull()
      .references(() => users.id),
    createdAt: createdAt(),
    updatedAt: at('updated_at').notNull().defaultNow(),
  },
  (t) => [uniqueIndex('schedules_connection_direction_idx').on(t.connectionId, t.direction)],
);

/**
 * Each automatic sync attempt (a schedule firing, an incoming trigger): whether it started a run,
 * stopped at a guard rail (its preview kept for an admin), found nothing to write, was skipped
 * because the connection was busy, or failed.
 */
export const automaticSyncs = pgTable(
  'automatic_syncs',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    connectionId: uuid('connection_id')
      .notNull()
      .references(() => connections.id, { onDelete: 'cascade' }),
    direction: text('direction', { enum: ['import', 'export'] }).notNull(),
    trigger: text('trigger', { enum: ['schedule', 'webhook'] }).notNull(),
    scheduleId: uuid('schedule_id').references(() => schedules.id, { onDelete: 'set null' }),
    outcome: text('outcome', { enum: ['started', 'stopped', 'unchanged', 'skipped', 'failed'] }).notNull(),
    /** Why it stopped, was skipped or failed (Japanese, as shown). */
    reason: text('reason'),
    previewId: uuid('preview_id').references(() => previews.id, { onDelete: 'set null' }),
    runId: uuid('run_id').references(() => runs.id, { onDelete: 'set null' }),
    createdAt: createdAt(),
  },
  (t) => [index('automatic_syncs_connection_idx').on(t.connectionId, t.createdAt)],
);

/**
 * Incoming trigger tokens: an HR system's webhook starts a connection's automatic sync with one.
 * Only the sha256 is stored; the token is shown once.
 */
export const triggerTokens = pgTable(
  'trigger_tokens',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    connectionId: uuid('connection_id')
      .notNull()
      .references(() => connections.id, { onDelete: 'cascade' }),
    direction: text('direction', { enum: ['import', 'export'] }).notNull(),
    name: text('name').notNull(),
    tokenHash: text('token_hash').notNull().unique(),
    createdBy: uuid('created_by')
      .notNull()
      .references(() => users.id),
    createdAt: createdAt(),
    lastUsedAt: at('last_used_at'),
    revokedAt: at('revoked_at'),
  },
  (t) => [index('trigger_tokens_connection_idx').on(t.connectionId)],
);

export const API_TOKEN_SCOPES = ['read', 'sync'] as const;
export type ApiTokenScope = (typeof API_TOKEN_SCOPES)[number];

/**
 * Personal access tokens of the HTTP API (/api/v1): sha256 of the token only; the token acts as
 * its user (`userId`), narrowed to its scope.
 */
export const apiTokens = pgTable(
  'api_tokens',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    scope: text('scope', { enum: API_TOKEN_SCOPES }).notNull(),
    tokenHash: text('token_hash').notNull().unique(),
    /** The token's first characters, shown in lists so an admin can tell tokens apart. */
    prefix: text('prefix').notNull(),
    expiresAt: at('expires_at'),
    lastUsedAt: at('last_used_at'),
    revokedAt: at('revoked_at'),
    createdBy: uuid('created_by').notNull(),
    createdAt: createdAt(),
  },
  (t) => [index('api_tokens_user_idx').on(t.userId)],
);

/** Where run summaries are posted when a run ends: one connection's runs, or every run (null). */
export const webhookEndpoints = pgTable('webhook_endpoints', {
  id: uuid('id').primaryKey().defaultRandom(),
  connectionId: uuid('connection_id').references(() => connections.id, { onDelete: 'cascade' }),
  url: text('url').notNull(),
  description: text('description').notNull().default(''),
  /** The signing secret, sealed with the credentials key (bound to the endpoint's id). */
  secretSealed: text('secret_sealed').notNull(),
  createdBy: uuid('created_by').notNull(),
  createdAt: createdAt(),
});

export const WEBHOOK_DELIVERY_STATUSES = ['pending', 'succeeded', 'failed'] as const;
export type WebhookDeliveryStatus = (typeof WEBHOOK_DELIVERY_STATUSES)[number];

export interface WebhookAttempt {
  at: string;
  /** The receiver's HTTP status, absent when none came (timeout, refused, bad address). */
  status?: number;
  error?: string;
  durationMs: number;
}

/** One run's summary for one endpoint, its body fixed when the run ended, and every attempt. */
export const webhookDeliveries = pgTable(
  'webhook_deliveries',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    endpointId: uuid('endpoint_id')
      .notNull()
      .references(() => webhookEndpoints.id, { onDelete: 'cascade' }),
    runId: uuid('run_id').notNull(),
    event: text('event').notNull(),
    body: text('body').notNull(),
    status: text('status', { enum: WEBHOOK_DELIVERY_STATUSES }).notNull(),
    attempts: jsonb('attempts').$type<WebhookAttempt[]>().notNull().default([]),
    createdAt: createdAt(),
    finishedAt: at('finished_at'),
  },
  (t) => [
    index('webhook_deliveries_endpoint_idx').on(t.endpointId, t.createdAt),
    uniqueIndex('webhook_deliveries_run_idx').on(t.endpointId, t.runId),
  ],
);

import type {
  ConnectorDefinition,
  CredentialFieldInfo,
  DataArea,
  NewEmployeeDefault,
  PlanEntry,
} from '@renkei/core';
import type { AuditEntry } from './audit/audit.ts';
import type { AutomaticSync } from './automation/automatic-sync.ts';
import type { Schedule } from './automation/schedules.ts';
import type { TriggerToken } from './automation/trigger-tokens.ts';
import type { CheckResult, Connection, ConnectionUpdate, NewConnection } from './connections/connections.ts';
import type { ApiTokenScope, RunOutcome, WebhookAttempt, WebhookDeliveryStatus } from './db/schema.ts';
import type { CsvEncoding } from './employees/csv.ts';
import type { CsvImportOptions, CsvImportResult } from './employees/csv-import.ts';
import type { ImportJob } from './employees/import-jobs.ts';
import type { EmployeeChange, EmployeeRecord } from './employees/store.ts';
import type { Notification } from './notifications/outbox.ts';
import type { Page, PageRequest } from './paging.ts';
import type { Direction, EntryFilter, Preview, Selection } from './previews/previews.ts';
import type { Run, RunItem } from './runs/runs.ts';
import type { AuthSession, NewUser, SignInOptions, User, UserUpdate } from './users/users.ts';

// What the hub offers the app, declared: `createHub` returns a `Hub`. Methods that change anything
// take the acting user's id first and refuse (HubError `forbidden`) what that user may not do.

/** A connector as the app shows it: what it is, its fields, and its credentials form. */
export interface ConnectorInfo {
  id: string;
  displayName: string;
  kind: ConnectorDefinition['kind'];
  description?: string;
  hasDataAreas: boolean;
  fields: ConnectorDefinition['fields'];
  credentialFields: CredentialFieldInfo[];
}

export interface HubUsers {
  /** True while there is no user at all (the first one is created by `bootstrap`). */
  needsBootstrap(): Promise<boolean>;
  /** The first user, an admin; refused once any user exists. */
  bootstrap(input: Omit<NewUser, 'role'>): Promise<User>;
  create(actor: string, input: NewUser): Promise<User>;
  /** `renkei users create`: the operator at the server, who holds the database already. */
  createByOperator(input: NewUser): Promise<User>;
  /** Every user, active ones first, then by e-mail. */
  list(): Promise<User[]>;
  get(id: string): Promise<User | null>;
  update(actor: string, id: string, input: UserUpdate): Promise<User>;
  /** Signs the account out everywhere; the last active admin can be neither demoted nor deactivated. */
  deactivate(actor: string, id: string): Promise<User>;
  reactivate(actor: string, id: string): Promise<User>;
  /** Whether the user's successful runs arrive as unread 通知 ('unread') or as read ('quiet'). */
  setSuccessNotice(userId: string, notice: unknown): Promise<User>;
}

/** The one-time set-up link that creates the first admin. */
export interface HubSetup {
  /** A new link while no user exists (undefined once one does). */
  issue(): Promise<{ token: string; expiresAt: Date } | undefined>;
  isValid(token: string): Promise<boolean>;
  /** Creates the first admin and spends the token, in one transaction. */
  complete(token: string, input: Omit<NewUser, 'role'>): Promise<User>;
}

/** What /readyz reports; `worker` is 'off' when the queue is left to `renkei worker`. */
export interface HubReadiness {
  database: boolean;
  migrations: boolean;
  worker: 'running' | 'off' | 'stopped';
}

export interface HubAuth {
  /** Throttled per account and per client address (SignInThrottled); `replacing` ends that session. */
  login(email: string, password: string, options?: SignInOptions): Promise<AuthSession>;
  session(token: string): Promise<{ user: User; expiresAt: Date } | null>;
  logout(token: string): Promise<void>;
}

/** 社員名簿: the HR master. */
export interface HubEmployees {
  list(request?: PageRequest & { search?: string }): Promise<Page<EmployeeRecord>>;
  get(code: string): Promise<EmployeeRecord | null>;
  create(actor: string, employee: unknown): Promise<EmployeeRecord>;
  update(actor: string, code: string, patch: unknown): Promise<EmployeeRecord>;
  /** Every change written to an employee, newest first (who, when, before → after). */
  history(code: string): Promise<EmployeeChange[]>;
  /** The CSV header, in column order. */
  csvColumns(): string[];
  importCsv(actor: string, bytes: Uint8Array, csv?: CsvImportOptions): Promise<CsvImportResult>;
  /** Starts an import in the background; `importJob` tells its progress (one import at a time). */
  startImport(actor: string, bytes: Uint8Array, csv?: CsvImportOptions): Promise<ImportJob>;
  importJob(actor: string, id: string): Promise<ImportJob | null>;
  /**
   * The import as it progresses (for SSE): the actor is checked once, then the job is followed in
   * memory — no database, so 書き込み中 is seen while PGlite's publish holds it — ending with the
   * finished job. Nothing for an unknown id; HubError `forbidden` for anyone but an admin.
   */
  followImport(actor: string, id: string, options?: { signal?: AbortSignal }): AsyncIterable<ImportJob>;
  /** The whole 従業員リスト, unmasked: admins only (HubError `forbidden` otherwise). */
  exportCsv(actor: string, csv?: { encoding?: CsvEncoding }): Promise<Uint8Array>;
}

export interface HubConnections {
  list(): Promise<Connection[]>;
  get(id: string): Promise<Connection | null>;
  /** 接続テスト: the credentials (or a stored connection's, where a secret is left blank) against the vendor. */
  test(
    actor: string,
    input: { connectorId: string; credentials: Record<string, unknown>; connectionId?: string },
  ): Promise<CheckResult>;
  create(actor: string, input: NewConnection): Promise<Connection>;
  update(actor: string, id: string, input: ConnectionUpdate): Promise<Connection>;
  remove(actor: string, id: string): Promise<void>;
  dataAreas(id: string): Promise<DataArea[]>;
  /**
   * A vendor webhook for one of `connectorId`'s connections: `verify` judges it against the stored
   * credentials (which never leave the hub); accepted, it acts as the admin who set the connection up.
   */
  authenticateWebhook(
    id: string,
    connectorId: string,
    verify: (credentials: Record<string, unknown>) => boolean,
  ): Promise<{ connection: Connection; actor: string } | null>;
  /** 連携設定's values for new employees, with the vendor's own choices (none where it has none). */
  newEmployeeDefaults(id: string): Promise<NewEmployeeDefault[]>;
  /** Saves the 同期ルール (both directions; see SyncPolicy); earlier previews become stale. */
  setPolicy(actor: string, id: string, policy: unknown): Promise<Connection>;
}

/** Schedules, incoming triggers and their record: automatic syncs under the guard rails. */
export interface HubAutomation {
  schedules: {
    list(connectionId: string): Promise<Schedule[]>;
    /** Creates or replaces the schedule of `input.direction` (ScheduleInput); cron errors are `validation`. */
    save(actor: string, connectionId: string, input: unknown): Promise<Schedule>;
    remove(actor: string, id: string): Promise<void>;
    /** 今すぐ実行: queues the schedule's sync now (same path and guard rails as when it fires). */
    fireNow(actor: string, id: string): Promise<void>;
    /** The next times a cron fires (Asia/Tokyo), as the queue evaluates it. */
    nextRuns(cron: string, count?: number): Date[];
  };
  /** Each automatic sync of a connection (started, stopped by a guard rail, skipped…), newest first. */
  history(connectionId: string, request?: PageRequest): Promise<Page<AutomaticSync>>;
  tokens: {
    list(connectionId: string): Promise<TriggerToken[]>;
    /** The token's value is returned this once; only its sha256 is stored. */
    create(
      actor: string,
      connectionId: string,
      input: unknown,
    ): Promise<{ token: string; info: TriggerToken }>;
    revoke(actor: string, id: string): Promise<void>;
  };
  /**
   * An incoming trigger: the token's connection and direction synced now, through a schedule's path
   * (guard rails included). Null for an unknown or revoked token.
   */
  trigger(token: unknown): Promise<AutomaticSync | null>;
  /**
   * A vendor webhook already authenticated (`connections.authenticateWebhook`): the same path,
   * narrowed to the employees it names.
   */
  webhook(
    verified: { connection: Connection; actor: string },
    input: { direction: Direction; codes: readonly string[] },
  ): Promise<AutomaticSync>;
}

/** What a preview compares: one connection, one direction, and for exports whom. */
export interface PreviewRequest {
  connectionId: string;
  direction: Direction;
  dataArea?: string;
  /** 在籍者のみ (exports): compare only the HR employees employed on this 情報取得基準日. */
  employedOn?: string;
}

/** 差分: a plan between the HR master and a connection, stored so the picker can page through it. */
export interface HubPreviews {
  create(actor: string, input: PreviewRequest): Promise<Preview>;
  get(id: string): Promise<Preview | null>;
  entries(id: string, request?: PageRequest & EntryFilter): Promise<Page<PlanEntry>>;
  select(id: string, selection: Selection): Promise<PlanEntry[]>;
}

/** Runs as the app drives them (the queue's own operations stay inside the hub). */
export interface HubRuns {
  /** `confirmedMismatches`: the 別人の可能性 社員番号 confirmed a second time; any other such entry refuses the run. */
  start(
    actor: string,
    input: { previewId: string; selection: Selection; confirmedMismatches?: readonly string[] },
  ): Promise<Run>;
  get(id: string): Promise<Run | null>;
  items(
    id: string,
    request?: PageRequest & { outcome?: RunOutcome | readonly RunOutcome[] },
  ): Promise<Page<RunItem>>;
  /** A new run for the failed, stale and not attempted employees of `id` only, on a fresh preview. */
  retryFailed(actor: string, id: string): Promise<Run>;
  cancel(actor: string, id: string): Promise<Run>;
  /** The run as it progresses (for SSE), ending with its final state. */
  watch(id: string, options?: { signal?: AbortSignal }): AsyncIterable<Run>;
  /** 連携履歴 of a connection, newest first. */
  history(connectionId: string, request?: PageRequest): Promise<Page<Run>>;
}

export interface HubNotifications {
  list(userId: string, request?: PageRequest & { unreadOnly?: boolean }): Promise<Page<Notification>>;
  unreadCount(userId: string): Promise<number>;
  markRead(userId: string, id: string): Promise<void>;
  markAllRead(userId: string): Promise<void>;
  /** Sends due mails now (the mailer also does so on its own schedule); how many were sent. */
  deliverMail(): Promise<number>;
}

/** A personal access token of the HTTP API, as lists show it (never the token itself). */
export interface ApiToken {
  id: string;
  /** The user the token acts as. */
  userId: string;
  name: string;
  scope: ApiTokenScope;
  /** The token's first characters (`rk_` + 6), to tell tokens apart. */
  prefix: string;
  expiresAt: Date | null;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
  createdBy: string;
  createdAt: Date;
}

/** A new token: `token` is shown once and never stored. */
export interface IssuedApiToken {
  token: string;
  info: ApiToken;
}

/** Who a presented token acts as. */
export interface ApiTokenAuth {
  token: ApiToken;
  user: User;
}

export interface HubApiTokens {
  /** Admins issue a token for any active user; `sync` only for an admin. Audited. */
  create(
    actor: string,
    input: { userId: string; name: string; scope: ApiTokenScope; expiresAt?: Date | string },
  ): Promise<IssuedApiToken>;
  list(actor: string): Promise<ApiToken[]>;
  /** Audited; revoking a revoked token changes nothing. */
  revoke(actor: string, id: string): Promise<ApiToken>;
  /** Null for an unknown, revoked or expired token, or one whose user is deactivated. */
  authenticate(token: string): Promise<ApiTokenAuth | null>;
  /** Records in the audit log a change the API made with the token. */
  audit(tokenId: string, details: Record<string, unknown>): Promise<void>;
}

/** An outgoing webhook endpoint: one connection's runs, or every run (`connectionId` null). */
export interface WebhookEndpoint {
  id: string;
  connectionId: string | null;
  url: string;
  description: string;
  createdBy: string;
  createdAt: Date;
}

/** A new endpoint: `secret` (the signing key) is shown once. */
export interface IssuedWebhookEndpoint {
  secret: string;
  endpoint: WebhookEndpoint;
}

/** One run's summary posted to one endpoint, with every attempt. */
export interface WebhookDelivery {
  id: string;
  endpointId: string;
  runId: string;
  event: string;
  status: WebhookDeliveryStatus;
  attempts: WebhookAttempt[];
  createdAt: Date;
  finishedAt: Date | null;
}

export interface HubWebhooks {
  /** https only (loopback where the hub allows it); audited. */
  create(
    actor: string,
    input: { url: string; connectionId?: string | null; description?: string },
  ): Promise<IssuedWebhookEndpoint>;
  list(actor: string): Promise<WebhookEndpoint[]>;
  remove(actor: string, id: string): Promise<void>;
  /** The delivery log, newest first. */
  deliveries(actor: string, request?: PageRequest & { endpointId?: string }): Promise<Page<WebhookDelivery>>;
}

export interface Hub {
  /** Which database this hub runs on. */
  database: 'pglite' | 'postgres';
  /** Today in Asia/Tokyo (YYYY-MM-DD) by the hub's clock: what a 処理年度 is reckoned against. */
  today(): string;
  users: HubUsers;
  setup: HubSetup;
  audit: { list(limit?: number): Promise<AuditEntry[]> };
  /** The database answers (within 2 s), every shipped migration is applied, and the worker's state. */
  readiness(): Promise<HubReadiness>;
  auth: HubAuth;
  employees: HubEmployees;
  connectors: { list(): ConnectorInfo[] };
  connections: HubConnections;
  previews: HubPreviews;
  runs: HubRuns;
  notifications: HubNotifications;
  automation: HubAutomation;
  apiTokens: HubApiTokens;
  webhooks: HubWebhooks;
  /** Stops taking chunks, schedules and deliveries; resolves when those in flight have finished. */
  stopWorker(): Promise<void>;
  /** Stops the worker and the mailer, then closes the queue and the database. */
  close(): Promise<void>;
}

import type {
  ConnectorDefinition,
  CredentialFieldInfo,
  DataArea,
  NewEmployeeDefault,
  PlanEntry,
} from '@renkei/core';
import type { AuditEntry } from './audit/audit.ts';
import type { CheckResult, Connection, ConnectionUpdate, NewConnection } from './connections/connections.ts';
import type { RunOutcome } from './db/schema.ts';
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
  /** Stops the worker and the mailer, then closes the queue and the database. */
  close(): Promise<void>;
}

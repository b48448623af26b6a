export type { AuditAction, AuditEntry } from './audit/audit.ts';
export {
  type CheckResult,
  type Connection,
  type ConnectionUpdate,
  checkFailureMessage,
  type NewConnection,
} from './connections/connections.ts';
export type { RunOutcome, RunStatus } from './db/schema.ts';
export {
  type CsvEncoding,
  type CsvRowError,
  csvHeader,
  formatEmployeesCsv,
  formatImportErrorsCsv,
} from './employees/csv.ts';
export type { CsvImportOptions, CsvImportProgress, CsvImportResult } from './employees/csv-import.ts';
export { HR_CONNECTOR_ID } from './employees/hr-connector.ts';
export type { ImportJob, ImportJobStatus } from './employees/import-jobs.ts';
export type { EmployeeRecord } from './employees/store.ts';
export { canExportEmployees, canSeeField, visibleFieldText } from './employees/visibility.ts';
export { HubError, type HubErrorKind, isHubError } from './errors.ts';
export { createHub, type HubOptions } from './hub.ts';
export type {
  ConnectorInfo,
  Hub,
  HubAuth,
  HubConnections,
  HubEmployees,
  HubNotifications,
  HubPreviews,
  HubReadiness,
  HubRuns,
  HubSetup,
  HubUsers,
  PreviewRequest,
} from './hub-api.ts';
export type { Notification } from './notifications/outbox.ts';
export type { Page, PageRequest } from './paging.ts';
export type { Direction, EntryFilter, Preview, Selection } from './previews/previews.ts';
export {
  directionLabel,
  finishedRunStatus,
  OUTCOME_TALLY,
  RUN_OUTCOME_LABELS,
  RUN_STATUS_LABELS,
  RUN_STATUS_TITLES,
  RUN_TALLIES,
  RUN_TALLY_LABELS,
  type RunTally,
  runCountsSummary,
  runTallies,
  STALE_REASON,
} from './runs/labels.ts';
export type { Run, RunCounts, RunItem } from './runs/runs.ts';
export { localKeyFile, localSecretKey, parseSecretKey } from './secrets/key.ts';
export { MIN_PASSWORD_LENGTH, passwordProblem } from './users/policy.ts';
export { SETUP_TOKEN_TTL_MS } from './users/setup.ts';
export {
  type AuthSession,
  type NewUser,
  type Role,
  type SessionLimits,
  type SignInOptions,
  SignInThrottled,
  type SuccessNotice,
  type User,
  type UserUpdate,
} from './users/users.ts';

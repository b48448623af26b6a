export type { AuditAction, AuditEntry } from './audit/audit.ts';
export {
  AUTOMATIC_OUTCOME_LABELS,
  type AutomaticOutcome,
  type AutomaticSync,
  DEFAULT_MAX_CHANGE_PERCENT,
} from './automation/automatic-sync.ts';
export { SCHEDULE_PRESET_LABELS, SCHEDULE_TIME_ZONE, type SchedulePreset } from './automation/cron.ts';
export {
  type DirectionPolicy,
  POLICY_MODES,
  policyFields,
  policyFor,
  RECORD_SCOPE_LABELS,
  type RecordScope,
  SYNC_MODE_LABELS,
  type SyncPolicy,
} from './automation/policy.ts';
export type { Schedule } from './automation/schedules.ts';
export type { TriggerToken } from './automation/trigger-tokens.ts';
export {
  type CheckResult,
  type Connection,
  type ConnectionUpdate,
  checkFailureMessage,
  type NewConnection,
} from './connections/connections.ts';
export {
  API_TOKEN_SCOPES,
  type ApiTokenScope,
  RUN_OUTCOMES,
  RUN_STATUSES,
  type RunOutcome,
  type RunStatus,
  type WebhookAttempt,
  type WebhookDeliveryStatus,
} from './db/schema.ts';
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
export {
  canExportEmployees,
  canSeeField,
  visibleEmployee,
  visibleFieldText,
} from './employees/visibility.ts';
export { HubError, type HubErrorKind, isHubError } from './errors.ts';
export { createHub, type HubOptions } from './hub.ts';
export type {
  ApiToken,
  ApiTokenAuth,
  ConnectorInfo,
  Hub,
  HubApiTokens,
  HubAuth,
  HubAutomation,
  HubConnections,
  HubEmployees,
  HubNotifications,
  HubPreviews,
  HubReadiness,
  HubRuns,
  HubSetup,
  HubUsers,
  HubWebhooks,
  IssuedApiToken,
  IssuedWebhookEndpoint,
  PreviewRequest,
  WebhookDelivery,
  WebhookEndpoint,
} from './hub-api.ts';
export type { Notification } from './notifications/outbox.ts';
export type { Page, PageRequest } from './paging.ts';
export {
  type Direction,
  defaultExportEmployment,
  type EntryFilter,
  type Preview,
  type Selection,
} from './previews/previews.ts';
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
export type { Run, RunCounts, RunItem, RunTrigger } from './runs/runs.ts';
export { localKeyFile, localSecretKey, parseSecretKey } from './secrets/key.ts';
export { API_TOKEN_PREFIX, NewApiToken } from './tokens/tokens.ts';
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
export {
  DEFAULT_TOLERANCE_SECONDS,
  SIGNATURE_HEADER,
  type SignatureCheck,
  signatureHeader,
  verifySignature,
} from './webhooks/signature.ts';
export { type WebhookUrlPolicy, webhookUrlProblem } from './webhooks/url-policy.ts';
export { RUN_FINISHED_EVENT, type RunFinishedPayload } from './webhooks/webhooks.ts';

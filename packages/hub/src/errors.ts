import type { FieldIssue } from '@renkei/core';

export type HubErrorKind =
  | 'validation'
  | 'not_found'
  | 'conflict'
  | 'forbidden'
  | 'auth'
  | 'throttled'
  | 'check_failed'
  | 'secret_key';

/** What the hub refuses, with a Japanese message the admin app can show as is. */
export class HubError extends Error {
  override readonly name = 'HubError';
  readonly kind: HubErrorKind;
  readonly issues: readonly FieldIssue[];

  constructor(kind: HubErrorKind, message: string, options: { issues?: FieldIssue[]; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.kind = kind;
    this.issues = options.issues ?? [];
  }
}

export function isHubError(value: unknown, kind?: HubErrorKind): value is HubError {
  return value instanceof HubError && (kind === undefined || value.kind === kind);
}

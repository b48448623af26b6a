// The API's errors: `{ error: { kind, message, issues? } }` with a 4xx for every client mistake.
import { isConnectorError } from '@renkei/core';
import { type HubErrorKind, isHubError } from '@renkei/hub';
import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { ErrorBody } from '../automation/schemas.ts';

const STATUS: Record<HubErrorKind, ContentfulStatusCode> = {
  validation: 422,
  not_found: 404,
  conflict: 409,
  forbidden: 403,
  auth: 401,
  throttled: 429,
  check_failed: 502,
  secret_key: 500,
};

export function errorBody(kind: string, message: string, issues?: ErrorBody['error']['issues']): ErrorBody {
  return { error: { kind, message, ...(issues && issues.length > 0 ? { issues } : {}) } };
}

export const apiError = (c: Context, status: ContentfulStatusCode, kind: string, message: string) =>
  c.json(errorBody(kind, message), status);

/** A hub refusal or a vendor failure as its JSON error; undefined for anything unexpected. */
export function knownError(c: Context, error: unknown): Response | undefined {
  if (isHubError(error)) {
    const issues = error.issues.map((issue) => ({ field: String(issue.field), message: issue.message }));
    return c.json(errorBody(error.kind, error.message, issues), STATUS[error.kind]);
  }
  if (isConnectorError(error)) {
    return c.json(errorBody('connector', `連携先との通信に失敗しました: ${error.message}`), 502);
  }
  return undefined;
}

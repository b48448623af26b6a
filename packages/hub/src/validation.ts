import type { FieldIssue } from '@renkei/core';
import type { z } from 'zod';

/** zod issues as the FieldIssues the UI shows (first path segment = the field). */
export function zodIssues(error: z.ZodError): FieldIssue[] {
  return error.issues.map((issue) => ({
    field: (typeof issue.path[0] === 'string' ? issue.path[0] : 'record') as FieldIssue['field'],
    message: issue.message,
  }));
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Ids come from URLs: anything that is not a uuid names nothing (rather than a query error). */
export const isUuid = (value: string): boolean => UUID.test(value);

import { createHash, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import { VENDOR } from './vendor.ts';

/** The header SmartHR puts the webhook's verification token in (confirmed). */
export const WEBHOOK_TOKEN_HEADER = 'x-smarthr-token';
/** Larger bodies are refused unread: a crew event is a few kilobytes. */
export const WEBHOOK_MAX_BYTES = 64 * 1024;

/** The part of an event Renkei reads (modelled: `event`, and the crew with its `emp_code`). */
const WebhookEvent = z.object({
  event: z.string().max(64),
  crew: z.object({ emp_code: z.string().max(100).nullish() }).nullish(),
});

/** Compares two tokens in time that depends on neither (hashes first, so lengths leak nothing either). */
export function tokenMatches(presented: string | null | undefined, expected: unknown): boolean {
  if (typeof presented !== 'string' || typeof expected !== 'string' || expected === '') return false;
  const digest = (value: string) => createHash('sha256').update(value).digest();
  return timingSafeEqual(digest(presented), digest(expected));
}

export type WebhookAction =
  | { kind: 'import'; event: string; employeeCode: string | undefined }
  | { kind: 'ignore'; event: string }
  | { kind: 'invalid' };

/** What a (verified) SmartHR event asks of Renkei: import for a crew created or updated, else nothing. */
export function readWebhook(body: unknown): WebhookAction {
  const parsed = WebhookEvent.safeParse(body);
  if (!parsed.success) return { kind: 'invalid' };
  const { event, crew } = parsed.data;
  if (!(VENDOR.webhookEvents as readonly string[]).includes(event)) return { kind: 'ignore', event };
  return { kind: 'import', event, employeeCode: crew?.emp_code ?? undefined };
}

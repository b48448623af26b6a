import type { Context } from 'hono';
import { z } from 'zod';

/** Field name → the first Japanese message for it (`_form` for errors not tied to one field). */
export type FormErrors = Record<string, string>;
export type FormValues = Record<string, string>;

export type FormResult<T> = { ok: true; data: T } | { ok: false; errors: FormErrors; values: FormValues };

const japanese = z.locales.ja().localeError;

type RawForm = Record<string, string | File | (string | File)[]>;

/** The submitted form (urlencoded or multipart); repeated names become arrays. */
export async function readForm(c: Context): Promise<RawForm> {
  return (await c.req.parseBody({ all: true })) as RawForm;
}

/** Validates a form with zod; messages are the schema's own or zod's Japanese locale. */
export function validateForm<S extends z.ZodType>(schema: S, raw: RawForm): FormResult<z.infer<S>> {
  const parsed = schema.safeParse(raw, { error: japanese });
  if (parsed.success) return { ok: true, data: parsed.data };
  const errors: FormErrors = {};
  for (const issue of parsed.error.issues) {
    const key = issue.path.length > 0 ? String(issue.path[0]) : '_form';
    errors[key] ??= issue.message;
  }
  return { ok: false, errors, values: echoValues(raw) };
}

/** The submitted text values, to refill a form after an error (files and the CSRF token dropped). */
export function echoValues(raw: RawForm): FormValues {
  const values: FormValues = {};
  for (const [key, value] of Object.entries(raw)) {
    if (key === '_csrf') continue;
    const first = Array.isArray(value) ? value[0] : value;
    if (typeof first === 'string') values[key] = first;
  }
  return values;
}

/** A positive page number from the query string (defaults to 1). */
export const pageParam = z.coerce.number().int().min(1).catch(1);

export function queryPage(c: Context): number {
  return pageParam.parse(c.req.query('page'));
}

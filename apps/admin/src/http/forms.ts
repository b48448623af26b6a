import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { z } from 'zod';

/** Field name → the first Japanese message for it (`_form` for errors not tied to one field). */
export type FormErrors = Record<string, string>;
export type FormValues = Record<string, string>;

export type FormResult<T> = { ok: true; data: T } | { ok: false; errors: FormErrors; values: FormValues };

const japanese = z.locales.ja().localeError;

export type RawForm = Record<string, string | File | (string | File)[]>;

export const GARBLED_MESSAGE = '文字化けしている文字があります。入力し直してください。';

/** Fields whose bytes were not valid UTF-8, per parsed form (validation refuses them). */
const garbledFields = new WeakMap<RawForm, ReadonlySet<string>>();
/** One parse per request: the CSRF check and the route read the same form. */
const parsed = new WeakMap<Request, Promise<RawForm>>();

/**
 * The submitted form (urlencoded or multipart); repeated names become arrays. A body that is not a
 * well-formed form is the client's mistake: 400, never a 500. Another content type is an empty form.
 */
export function readForm(c: Context): Promise<RawForm> {
  const request = c.req.raw;
  let form = parsed.get(request);
  if (!form) {
    form = parseForm(request);
    parsed.set(request, form);
  }
  return form;
}

async function parseForm(request: Request): Promise<RawForm> {
  const type = request.headers.get('content-type')?.toLowerCase() ?? '';
  try {
    if (type.startsWith('application/x-www-form-urlencoded')) {
      return parseUrlencoded(new Uint8Array(await request.arrayBuffer()));
    }
    if (type.startsWith('multipart/form-data')) return collectMultipart(await request.formData());
  } catch (error) {
    if (error instanceof HTTPException) throw error;
    throw new HTTPException(400, { message: 'malformed form body' });
  }
  return {};
}

function add(form: RawForm, key: string, value: string | File): void {
  const before = form[key];
  if (before === undefined) form[key] = value;
  else if (Array.isArray(before)) before.push(value);
  else form[key] = [before, value];
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/** Percent-decoding to bytes, then strict UTF-8: `%E0%A4%A` is reported, not turned into U+FFFD. */
function decodeComponent(text: string): string | undefined {
  const bytes: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const char = text.charCodeAt(i);
    if (char === 0x2b) bytes.push(0x20);
    else if (char === 0x25 && /^[\da-f]{2}$/i.test(text.slice(i + 1, i + 3))) {
      bytes.push(Number.parseInt(text.slice(i + 1, i + 3), 16));
      i += 2;
    } else bytes.push(char);
  }
  try {
    return strictUtf8.decode(new Uint8Array(bytes));
  } catch {
    return undefined;
  }
}

function parseUrlencoded(body: Uint8Array): RawForm {
  const form: RawForm = {};
  const garbled = new Set<string>();
  // latin1 keeps every byte as one char, so raw (unescaped) bytes are checked like escaped ones.
  for (const pair of Buffer.from(body).toString('latin1').split('&')) {
    if (pair === '') continue;
    const at = pair.indexOf('=');
    const key = decodeComponent(at < 0 ? pair : pair.slice(0, at));
    if (key === undefined) continue;
    const value = decodeComponent(at < 0 ? '' : pair.slice(at + 1));
    if (value === undefined) garbled.add(key);
    add(form, key, value ?? '');
  }
  garbledFields.set(form, garbled);
  return form;
}

function collectMultipart(data: FormData): RawForm {
  const form: RawForm = {};
  const garbled = new Set<string>();
  for (const [key, value] of data) {
    // The platform decodes multipart text with replacement: U+FFFD is where invalid bytes were.
    if (typeof value === 'string' && value.includes('\uFFFD')) {
      garbled.add(key);
      add(form, key, '');
    } else add(form, key, value);
  }
  garbledFields.set(form, garbled);
  return form;
}

/** Whether the field `name` was not valid UTF-8 (it reads as empty, which must not pass for a blank). */
export function isGarbledField(raw: RawForm, name: string): boolean {
  return garbledFields.get(raw)?.has(name) ?? false;
}

/**
 * Whether any field of the form was not valid UTF-8 — for routes that read fields by hand rather
 * than through `validateForm` (a garbled value is read as empty, which must not pass for a blank).
 */
export function hasGarbledField(raw: RawForm): boolean {
  return (garbledFields.get(raw)?.size ?? 0) > 0;
}

/**
 * Validates a form with zod; messages are the schema's own or zod's Japanese locale. A field whose
 * bytes were not valid UTF-8 is an error of its own and never reaches the schema's data.
 */
export function validateForm<S extends z.ZodType>(schema: S, raw: RawForm): FormResult<z.infer<S>> {
  const garbled = garbledFields.get(raw) ?? new Set<string>();
  const parsedForm = schema.safeParse(raw, { error: japanese });
  if (parsedForm.success && garbled.size === 0) return { ok: true, data: parsedForm.data };
  const errors: FormErrors = {};
  for (const key of garbled) errors[key] = GARBLED_MESSAGE;
  for (const issue of parsedForm.success ? [] : parsedForm.error.issues) {
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

import { fail, type Normalised, ok, quote } from './result.ts';

// Invisible characters are removed before NFKC, so NFKC can compose what they separated.
const INVISIBLE = /(?:(?![\t-\r])\p{Cc}|[\u00AD\u200B-\u200D\u2060\uFEFF])/gu;
const SPACE_RUN = /\s+/g;
const PLAIN_ASCII = /^[\x21-\x7E]+(?: [\x21-\x7E]+)*$/;

/** NFKC, whitespace (incl. the full-width space) collapsed to one space and trimmed. */
export function normaliseText(input: string): string {
  // Fast path: printable ASCII with single inner spaces is already in normal form.
  if (PLAIN_ASCII.test(input)) return input;
  return input.replace(INVISIBLE, '').normalize('NFKC').replace(SPACE_RUN, ' ').trim();
}

/** A text field: a string (or a number, written as digits) in normal form; blank is empty. */
export function normaliseTextValue(value: unknown): Normalised<string> {
  if (value === undefined || value === null) return ok(undefined);
  if (typeof value === 'number' && Number.isFinite(value)) return ok(String(value));
  if (typeof value !== 'string') return fail(`${quote(value)}は文字列として読み取れません`);
  const text = normaliseText(value);
  return ok(text === '' ? undefined : text);
}

/** Whether a raw value holds nothing: null, undefined, blank text, or only empty parts. */
export function isEmptyValue(value: unknown): boolean {
  if (value === undefined || value === null) return true;
  if (typeof value === 'string') return normaliseText(value) === '';
  if (Array.isArray(value)) return value.every(isEmptyValue);
  if (typeof value === 'object') return Object.values(value).every(isEmptyValue);
  return false;
}

import { fail, type Normalised, ok, quote } from './result.ts';

// Invisible characters are removed before NFKC, so NFKC can compose what they separated.
const INVISIBLE = /(?:(?![\t-\r])\p{Cc}|[\u00AD\u200B-\u200D\u2060\uFEFF])/gu;
const SPACE_RUN = /\s+/g;
// Words of characters NFKC leaves alone (printable ASCII, 々〆〇、。「」, hiragana, full-width
// katakana, CJK ideographs: none decomposes, none composes with a neighbour) joined by single spaces.
const STABLE =
  '\\x21-\\x7E\\u3001\\u3002\\u3005-\\u3007\\u300C\\u300D\\u3041-\\u3096\\u309D\\u309E\\u30A1-\\u30FE\\u4E00-\\u9FFF';
const ALREADY_NORMAL = new RegExp(`^[${STABLE}]+(?: [${STABLE}]+)*$`);

/** Whether `text` is non-empty and already what `normaliseText` makes of it (a quick, partial check). */
export const isNormalText = (text: unknown): text is string =>
  typeof text === 'string' && ALREADY_NORMAL.test(text);

/** NFKC, whitespace (incl. the full-width space) collapsed to one space and trimmed. */
export function normaliseText(input: string): string {
  if (ALREADY_NORMAL.test(input)) return input;
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

import { fail, type Normalised, ok, quote } from './result.ts';
import { normaliseText } from './text.ts';

const DASHES = /[\u2010-\u2015\u2212\u30FC\uFF70]/g;
const PHONE = /^\+?[0-9()\- ]+$/;
const NON_DIGITS = /\D/g;
// Digits in hyphenated groups, 3 to 15 of them: already tidy.
const ALREADY_NORMAL = /^(?=(?:-?\d){3,15}$)\d+(?:-\d+)*$/;

/** Whether `value` is a number already in normal form (a quick check: false means "normalise it"). */
export const isNormalPhone = (value: unknown): value is string =>
  typeof value === 'string' && ALREADY_NORMAL.test(value);

/**
 * A phone number keeps its source formatting (it is what gets written), tidied: NFKC, dash
 * look-alikes (ー, −, ‐) made `-`, spaces collapsed. Extensions or words are refused.
 */
export function normalisePhone(value: unknown): Normalised<string> {
  if (value === undefined || value === null) return ok(undefined);
  // A number has lost its leading 0: reading it would be a guess.
  if (typeof value !== 'string')
    return fail(`${quote(value)}は電話番号として読み取れません（文字列で指定してください）`);
  if (isNormalPhone(value)) return ok(value);
  const phone = normaliseText(value).replace(DASHES, '-');
  if (phone === '') return ok(undefined);
  const digits = phone.replace(NON_DIGITS, '').length;
  if (!PHONE.test(phone) || digits < 3 || digits > 15) {
    return fail(`${quote(value)}は電話番号として読み取れません（数字とハイフンで入力してください）`);
  }
  return ok(phone);
}

/** The digits that identify a number: `+81 3-1234-5678` and `03-1234-5678` are the same. */
export function phoneDigits(phone: string): string {
  const digits = phone.replace(NON_DIGITS, '');
  if (phone.startsWith('+81')) {
    const national = digits.slice(2);
    return national.startsWith('0') ? national : `0${national}`;
  }
  return phone.startsWith('+') ? `+${digits}` : digits;
}

export const samePhone = (a: string, b: string): boolean => a === b || phoneDigits(a) === phoneDigits(b);

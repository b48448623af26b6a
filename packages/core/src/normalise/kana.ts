import { fail, type Normalised, ok, quote } from './result.ts';
import { normaliseText } from './text.ts';

const HIRAGANA = /[\u3041-\u3096\u309D\u309E]/g;
const toKatakana = (char: string) => String.fromCharCode(char.charCodeAt(0) + 0x60);
const SPACES = / /g;
const FULL_WIDTH_KATAKANA = /^[\u30A1-\u30FE]+$/;
const KATAKANA_WORDS = /^[\u30A1-\u30FE]+(?: [\u30A1-\u30FE]+)*$/;

/** Whether `value` is a name-part reading already in normal form (a quick check). */
export const isNormalNameKana = (value: unknown): value is string =>
  typeof value === 'string' && FULL_WIDTH_KATAKANA.test(value);

// Katakana block (incl. ・ ー ヽ ヾ) and the small-kana extension; holders also take the 全銀 set.
const NAME_KANA = /^[\u30A0-\u30FF\u31F0-\u31FF]*$/;
const HOLDER_KANA = /^[\u30A0-\u30FF\u31F0-\u31FF A-Z0-9().,\-/]*$/;

/** Full-width katakana: NFKC folds half-width ｶﾅ, hiragana is shifted to katakana. */
export function toFullWidthKatakana(input: string): string {
  return normaliseText(input).replace(HIRAGANA, toKatakana);
}

/**
 * A name-part reading (姓（フリガナ）, 名（フリガナ）): full-width katakana, spaces removed (a
 * single name part has no word break, so a space in it is cosmetic).
 */
export function normaliseNameKana(value: unknown): Normalised<string> {
  if (value === undefined || value === null) return ok(undefined);
  if (typeof value !== 'string') return fail(`${quote(value)}は文字列として読み取れません`);
  if (isNormalNameKana(value)) return ok(value);
  const kana = toFullWidthKatakana(value).replace(SPACES, '');
  if (!NAME_KANA.test(kana)) return fail(`${quote(value)}はカタカナまたはひらがなで入力してください`);
  return ok(kana === '' ? undefined : kana);
}

/**
 * An account holder's reading (口座名義): full-width katakana; one space between words is kept
 * (banks separate 姓 and 名) and ignored when compared (see `sameHolderKana`).
 */
export function normaliseHolderKana(value: unknown): Normalised<string> {
  if (value === undefined || value === null) return ok(undefined);
  if (typeof value !== 'string') return fail(`${quote(value)}は文字列として読み取れません`);
  if (KATAKANA_WORDS.test(value)) return ok(value);
  const kana = toFullWidthKatakana(value).toUpperCase();
  if (!HOLDER_KANA.test(kana)) return fail(`${quote(value)}はカタカナで入力してください`);
  return ok(kana === '' ? undefined : kana);
}

export const sameHolderKana = (a: string, b: string): boolean =>
  a === b || a.replace(SPACES, '') === b.replace(SPACES, '');

import type { Employee } from '../employee.ts';
import { normaliseDate } from '../normalise/date.ts';
import { normaliseNameKana } from '../normalise/kana.ts';
import { normaliseText } from '../normalise/text.ts';
import type { Identity } from './types.ts';

/**
 * The 別人の可能性 rule: two records under one 社員番号 are likely different people when
 *
 * 1. both have a 生年月日 and they differ, **and** the 氏名 (姓+名) differs; or
 * 2. a 生年月日 is missing on either side, **and** both the 姓 and the 名 differ.
 *
 * A name part "differs" only when its text differs after normalisation (NFKC, spaces removed)
 * **and** its フリガナ differs too where both sides have one: 斉藤 → 齋藤 read サイトウ on both sides
 * is a variant kanji, not another person. Never a mismatch: equal 生年月日 (whatever the name: a
 * marriage, a typo fixed), a changed 姓 alone (a marriage), a changed 生年月日 alone (a typo fixed),
 * or a side without a name (nothing to compare). The rule errs towards flagging: a false positive
 * costs the admin a second tick, a false negative overwrites another person's payroll record.
 */
export function identityMismatch(source: Employee, target: Employee): boolean {
  // The matched majority in a few comparisons: the same raw 生年月日, or the same raw 姓 and 名.
  if (
    typeof source.birthDate === 'string' &&
    source.birthDate !== '' &&
    source.birthDate === target.birthDate
  )
    return false;
  if (source.lastName === target.lastName && source.firstName === target.firstName) return false;
  const a = identityParts(source);
  const b = identityParts(target);
  const last = partDiffers(a.last, b.last, a.lastKana, b.lastKana);
  const first = partDiffers(a.first, b.first, a.firstKana, b.firstKana);
  if (a.birthDate !== undefined && b.birthDate !== undefined) {
    if (a.birthDate === b.birthDate) return false;
    const fullName = a.last + a.first !== b.last + b.first;
    return fullName && a.last + a.first !== '' && b.last + b.first !== '' && (last || first);
  }
  return last && first;
}

/** What the picker shows of each side of a 別人の可能性 entry, normalised. */
export function identityOf(employee: Employee): Identity {
  const parts = identityParts(employee);
  const name = [parts.last, parts.first].filter(Boolean).join(' ');
  const kana = [parts.lastKana, parts.firstKana].filter(Boolean).join(' ');
  return {
    ...(name ? { name } : {}),
    ...(kana ? { kana } : {}),
    ...(parts.birthDate ? { birthDate: parts.birthDate } : {}),
  };
}

interface Parts {
  last: string;
  first: string;
  lastKana: string | undefined;
  firstKana: string | undefined;
  birthDate: string | undefined;
}

const NO_SPACE = /\s/g;

function identityParts(employee: Employee): Parts {
  return {
    last: text(employee.lastName),
    first: text(employee.firstName),
    lastKana: kana(employee.lastNameKana),
    firstKana: kana(employee.firstNameKana),
    birthDate: date(employee.birthDate),
  };
}

const text = (value: unknown): string =>
  typeof value === 'string' ? normaliseText(value).replace(NO_SPACE, '') : '';

function kana(value: unknown): string | undefined {
  const read = normaliseNameKana(value);
  return read.ok ? read.value : undefined;
}

function date(value: unknown): string | undefined {
  const read = normaliseDate(value);
  return read.ok ? read.value : undefined;
}

/** Both sides name the part, the names differ, and their readings do not say they are one. */
function partDiffers(a: string, b: string, aKana: string | undefined, bKana: string | undefined): boolean {
  if (a === '' || b === '' || a === b) return false;
  return aKana === undefined || bKana === undefined || aKana !== bKana;
}

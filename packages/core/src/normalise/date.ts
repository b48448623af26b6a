import { fail, type Normalised, ok, quote } from './result.ts';
import { normaliseText } from './text.ts';

interface Era {
  name: string;
  letter: string;
  /** First and last day (ISO) of the era; `last` undefined while it lasts. */
  first: string;
  last?: string;
}

// Dates before the Gregorian calendar (明治6年) are out of scope for employee records; 明治 is
// dated from its Gregorian start.
const ERAS: readonly Era[] = [
  { name: '明治', letter: 'M', first: '1868-10-23', last: '1912-07-29' },
  { name: '大正', letter: 'T', first: '1912-07-30', last: '1926-12-24' },
  { name: '昭和', letter: 'S', first: '1926-12-25', last: '1989-01-07' },
  { name: '平成', letter: 'H', first: '1989-01-08', last: '2019-04-30' },
  { name: '令和', letter: 'R', first: '2019-05-01' },
];
const ERA_BY_NAME = new Map<string, Era>();
for (const era of ERAS) {
  ERA_BY_NAME.set(era.name, era);
  ERA_BY_NAME.set(era.letter, era);
}

const ISO = /^(\d{4})-(\d{2})-(\d{2})$/;
const COMPACT = /^(\d{4})(\d{2})(\d{2})$/;
const SEPARATED = /^(\d{4})([-/.])(\d{1,2})\2(\d{1,2})$/;
const KANJI = /^(\d{4})年(\d{1,2})月(\d{1,2})日$/;
const WAREKI =
  /^(明治|大正|昭和|平成|令和|[MTSHR])(元|\d{1,2})(?:年(\d{1,2})月(\d{1,2})日|([-/.])(\d{1,2})\5(\d{1,2}))$/;
const SPACES = / /g;

const pad2 = (n: number) => (n < 10 ? `0${n}` : String(n));

function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/** ISO `YYYY-MM-DD` of a calendar date, or undefined when the date does not exist. */
function isoDate(year: number, month: number, day: number): string | undefined {
  if (year < 1 || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return undefined;
  return `${String(year).padStart(4, '0')}-${pad2(month)}-${pad2(day)}`;
}

const ISO_DIGIT_POSITIONS = [0, 1, 2, 3, 5, 6, 8, 9] as const;
const digitAt = (text: string, at: number) => text.charCodeAt(at) - 48;

/** Whether `text` is an existing date written `YYYY-MM-DD` (the normal form), checked without allocating. */
export function isNormalDate(text: unknown): text is string {
  if (
    typeof text !== 'string' ||
    text.length !== 10 ||
    text.charCodeAt(4) !== 45 ||
    text.charCodeAt(7) !== 45
  )
    return false;
  for (const at of ISO_DIGIT_POSITIONS) {
    const digit = digitAt(text, at);
    if (digit < 0 || digit > 9) return false;
  }
  const year = digitAt(text, 0) * 1000 + digitAt(text, 1) * 100 + digitAt(text, 2) * 10 + digitAt(text, 3);
  const month = digitAt(text, 5) * 10 + digitAt(text, 6);
  const day = digitAt(text, 8) * 10 + digitAt(text, 9);
  return year >= 1 && month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month);
}

const unreadable = (value: unknown) =>
  fail<string>(`${quote(value)}は日付として読み取れません（例: 1990-04-01、1990/4/1、平成2年4月1日）`);
const impossible = (value: unknown) => fail<string>(`${quote(value)}は存在しない日付です`);

/**
 * A date in any notation HR data uses — `YYYY-MM-DD`, `YYYY/M/D`, `YYYY.M.D`, `YYYYMMDD` (string
 * or number), `YYYY年M月D日`, 和暦 (`令和5年4月1日`, `R5.4.1`, 元年) — to ISO `YYYY-MM-DD`. Dates
 * that do not exist (2月30日, 平成32年, 昭和64年1月8日) are refused, never moved to a neighbour.
 */
export function normaliseDate(value: unknown): Normalised<string> {
  if (value === undefined || value === null) return ok(undefined);
  if (typeof value === 'number') {
    return Number.isInteger(value) && value >= 10000101 && value <= 99991231
      ? parseDateText(String(value), value)
      : unreadable(value);
  }
  if (typeof value !== 'string') return unreadable(value);
  if (isNormalDate(value)) return ok(value);
  const text = normaliseText(value).replace(SPACES, '');
  if (text === '') return ok(undefined);
  return parseDateText(text.toUpperCase(), value);
}

function parseDateText(text: string, raw: unknown): Normalised<string> {
  const western = ISO.exec(text) ?? COMPACT.exec(text) ?? KANJI.exec(text);
  if (western) return fromParts(raw, western[1], western[2], western[3]);
  const separated = SEPARATED.exec(text);
  if (separated) return fromParts(raw, separated[1], separated[3], separated[4]);
  const wareki = WAREKI.exec(text);
  if (!wareki) return unreadable(raw);
  const era = ERA_BY_NAME.get(wareki[1] as string) as Era;
  const eraYear = wareki[2] === '元' ? 1 : Number(wareki[2]);
  if (eraYear < 1) return impossible(raw);
  const year = Number(era.first.slice(0, 4)) + eraYear - 1;
  const date = isoDate(year, Number(wareki[3] ?? wareki[6]), Number(wareki[4] ?? wareki[7]));
  if (!date) return impossible(raw);
  // Same-format ISO strings compare as dates.
  if (date < era.first || (era.last !== undefined && date > era.last)) {
    return fail(`${quote(raw)}は存在しない日付です（${era.name}は${eraRange(era)}）`);
  }
  return ok(date);
}

function fromParts(raw: unknown, year?: string, month?: string, day?: string): Normalised<string> {
  const date = isoDate(Number(year), Number(month), Number(day));
  return date ? ok(date) : impossible(raw);
}

function eraRange(era: Era): string {
  const [first, last] = [era.first, era.last].map((iso) => iso && formatDateJa(iso));
  return last ? `${first}から${last}まで` : `${first}から`;
}

/** `1990-04-01` → `1990年4月1日`. */
export function formatDateJa(iso: string): string {
  const match = ISO.exec(iso);
  if (!match) return iso;
  return `${Number(match[1])}年${Number(match[2])}月${Number(match[3])}日`;
}

import { fail, type Normalised, ok, quote } from './result.ts';
import { normaliseText } from './text.ts';

/** 社員番号, the match key: NFKC and trimmed (`Ｅ００１` and `E001` are one employee). */
export function normaliseEmployeeCode(value: unknown): Normalised<string> {
  if (value === undefined || value === null) return ok(undefined);
  if (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0) return ok(String(value));
  if (typeof value !== 'string') return fail(`${quote(value)}は社員番号として読み取れません`);
  return ok(normaliseText(value) || undefined);
}

import type { FieldKey } from '../employee.ts';
import { fieldDefinition } from '../fields.ts';
import { canonicalJson, normaliseForCompare, Unreadable } from './fingerprint.ts';

/**
 * Whether two normalised values of a field are "no difference". Empty equals empty only; an
 * unreadable value equals only the same unreadable value.
 */
export function normalisedValuesEqual(field: FieldKey, a: unknown, b: unknown): boolean {
  if (a === undefined || b === undefined) return a === b;
  if (a instanceof Unreadable || b instanceof Unreadable) {
    return (
      a instanceof Unreadable && b instanceof Unreadable && canonicalJson(a.raw) === canonicalJson(b.raw)
    );
  }
  return fieldDefinition(field).equals(a, b);
}

/**
 * The diff's equality on raw values: both are normalised first, so `ﾔﾏﾀﾞ` equals `やまだ` and
 * `1990/4/1` equals `1990-04-01`; null, undefined and blank are all empty.
 */
export function fieldValuesEqual(field: FieldKey, a: unknown, b: unknown): boolean {
  return normalisedValuesEqual(field, normaliseForCompare(field, a), normaliseForCompare(field, b));
}

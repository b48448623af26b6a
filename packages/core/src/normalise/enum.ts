import { fail, type Normalised, ok, quote } from './result.ts';
import { normaliseText } from './text.ts';

export interface EnumNormaliser<T extends string> {
  (value: unknown): Normalised<T>;
  /** Japanese label per value, in declaration order. */
  labels: Readonly<Record<T, string>>;
  /** Whether `value` is already a canonical value. */
  isNormal(value: unknown): value is T;
}

/**
 * A closed set of values, read from the canonical value, its Japanese label or a listed alias
 * (what people type into a CSV: 男, 女, 在職 …), case- and width-insensitively.
 */
export function enumNormaliser<T extends string>(
  labels: Readonly<Record<T, string>>,
  aliases: Readonly<Record<string, T>> = {},
): EnumNormaliser<T> {
  const lookup = new Map<string, T>();
  const add = (name: string, to: T) => lookup.set(normaliseText(name).toLowerCase(), to);
  for (const [value, label] of Object.entries(labels) as [T, string][]) {
    add(value, value);
    add(label, value);
  }
  for (const [alias, value] of Object.entries(aliases)) add(alias, value);
  const allowed = Object.values<string>(labels).join('・');

  const isNormal = (value: unknown): value is T => typeof value === 'string' && Object.hasOwn(labels, value);
  const normalise = (value: unknown): Normalised<T> => {
    if (value === undefined || value === null) return ok(undefined);
    if (typeof value !== 'string') return fail(`${quote(value)}は${allowed}のいずれかで指定してください`);
    if (isNormal(value)) return ok(value);
    const key = normaliseText(value).toLowerCase();
    if (key === '') return ok(undefined);
    const found = lookup.get(key);
    return found ? ok(found) : fail(`${quote(value)}は${allowed}のいずれかで指定してください`);
  };
  return Object.assign(normalise, { labels, isNormal });
}

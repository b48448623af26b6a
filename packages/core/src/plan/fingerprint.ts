import { type Employee, FIELD_KEYS, type FieldKey } from '../employee.ts';
import { fieldDefinition } from '../fields.ts';

/**
 * FNV-1a 64 over the UTF-16 code units of `text`, as 16 hex digits. The 64-bit product is kept in
 * two 32-bit halves: prime = 2^40 + 0x1b3, so hi' = hi·0x1b3 + carry + lo·2^8 and lo' = lo·0x1b3.
 */
export function fnv1a64(text: string): string {
  let hi = 0xcbf29ce4;
  let lo = 0x84222325;
  for (let i = 0; i < text.length; i++) {
    lo ^= text.charCodeAt(i);
    lo >>>= 0;
    const product = lo * 0x1b3;
    hi = (Math.imul(hi, 0x1b3) + ((product / 0x100000000) | 0) + (lo << 8)) >>> 0;
    lo = product >>> 0;
  }
  return hi.toString(16).padStart(8, '0') + lo.toString(16).padStart(8, '0');
}

/** JSON with object keys sorted and undefined members left out: one text per value. */
export function canonicalJson(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record)
    .filter((key) => record[key] !== undefined)
    .sort();
  return `{${keys.map((key) => `${JSON.stringify(key)}:${canonicalJson(record[key])}`).join(',')}}`;
}

/** A value that failed normalisation is fingerprinted as it was read (marked, so it never equals a valid one). */
export interface UnreadableValue {
  unreadable: unknown;
}

/**
 * The fingerprint of already-normalised values, one per field of `fields` (same order). Empty values
 * contribute nothing, so "absent" and "blank" fingerprint alike.
 */
export function fingerprintValues(fields: readonly FieldKey[], values: readonly unknown[]): string {
  let text = '';
  for (let i = 0; i < fields.length; i++) {
    const value = values[i];
    if (value === undefined || value === null) continue;
    text += `${fields[i]}=${canonicalJson(value)};`;
  }
  return fnv1a64(text);
}

const FIELD_ORDER = new Map(FIELD_KEYS.map((key, index) => [key, index]));

/** `fields` deduplicated in catalog order, so the fingerprint does not depend on how they were listed. */
export function canonicalFieldOrder(fields: readonly FieldKey[]): FieldKey[] {
  return [...new Set(fields)].sort((a, b) => (FIELD_ORDER.get(a) ?? 0) - (FIELD_ORDER.get(b) ?? 0));
}

/** The normal form of one raw value for fingerprints and comparisons; unreadable values are wrapped. */
export function normaliseForCompare(field: FieldKey, value: unknown): unknown {
  const result = fieldDefinition(field).normalise(value);
  return result.ok ? result.value : ({ unreadable: value } satisfies UnreadableValue);
}

/**
 * The fingerprint a plan entry carries: a hash of the target's normalised values of the compared
 * `fields` (null when the target has no record). The engine recomputes it from a fresh read to see
 * whether the target moved since the preview. Independent of key order and of cosmetic variants.
 */
export function fingerprintEmployee(
  employee: Employee | undefined,
  fields: readonly FieldKey[],
): string | null {
  if (!employee) return null;
  const ordered = canonicalFieldOrder(fields);
  return fingerprintValues(
    ordered,
    ordered.map((field) => normaliseForCompare(field, employee[field])),
  );
}

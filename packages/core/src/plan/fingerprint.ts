import { type Employee, FIELD_KEYS, type FieldKey } from '../employee.ts';
import { fieldDefinition } from '../fields.ts';
import { comparedDefinition } from './org-ref-match.ts';
import type { OrgRefMatch } from './types.ts';

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

/**
 * A value that failed normalisation, kept as it was read: it differs from every readable value and
 * is fingerprinted as read. A class, so telling it apart is one prototype check in the hot path.
 */
export class Unreadable {
  readonly raw: unknown;
  constructor(raw: unknown) {
    this.raw = raw;
  }
}

const FIELD_ORDER = new Map(FIELD_KEYS.map((key, index) => [key, index]));

// The parts of each structured value, in catalog order: objects are hashed in this order whatever
// order their keys were written in, without sorting per object.
const FIELD_PARTS = new Map(
  FIELD_KEYS.map((key) => {
    const { parts } = fieldDefinition(key);
    return [key, parts ? Object.keys(parts) : undefined];
  }),
);

/*
 * A streaming 64-bit hash: two FNV-1a-style 32-bit lanes (different primes) over pairs of UTF-16
 * code units, finished with murmur3's fmix32 and crossed. Not cryptographic: it tells "the target
 * moved" from "it did not", over 100k records in milliseconds, without building a canonical text
 * first. The two lanes live in one typed array (hashing is synchronous) and in locals while a
 * string is hashed, so the hot path neither allocates nor touches much memory.
 */
const lanes = new Int32Array(2);
const P1 = 0x01000193;
const P2 = 0x5bd1e995;

function hashUnit(unit: number): void {
  lanes[0] = Math.imul((lanes[0] as number) ^ unit, P1);
  lanes[1] = Math.imul((lanes[1] as number) ^ unit, P2);
}

function hashString(text: string): void {
  hashTagged(lanes[0] as number, lanes[1] as number, text);
}

/** One tag unit (a field's or part's ordinal) then a string: the same as hashUnit + hashString, in one call. */
function hashTaggedString(tag: number, text: string): void {
  hashTagged(Math.imul((lanes[0] as number) ^ tag, P1), Math.imul((lanes[1] as number) ^ tag, P2), text);
}

/** Continues lanes `a`, `b` over `text` and stores them. */
function hashTagged(a: number, b: number, text: string): void {
  const end = text.length - 1;
  let i = 0;
  for (; i < end; i += 2) {
    const pair = (text.charCodeAt(i) << 16) | text.charCodeAt(i + 1);
    a = Math.imul(a ^ pair, P1);
    b = Math.imul(b ^ pair, P2);
  }
  if (i === end) {
    const last = text.charCodeAt(i);
    a = Math.imul(a ^ last, P1);
    b = Math.imul(b ^ last, P2);
  }
  // The length closes each string, so ("ab", "c") and ("a", "bc") hash differently.
  const close = text.length + 0x100000;
  lanes[0] = Math.imul(a ^ close, P1);
  lanes[1] = Math.imul(b ^ close, P2);
}

/** Hashes a structured value part by part in `parts` order, whatever order its keys were written in. */
function hashParts(value: Record<string, unknown>, parts: readonly string[]): void {
  hashUnit(0x10003);
  for (let i = 0; i < parts.length; i++) {
    const part = value[parts[i] as string];
    if (part === undefined) continue;
    if (typeof part === 'string') hashTaggedString(i, part);
    else {
      hashUnit(i);
      hashOpaque(part);
    }
  }
  hashUnit(0x10004);
}

/** Anything else (an unreadable value as read): its canonical JSON, tagged. */
function hashOpaque(value: unknown): void {
  if (value instanceof Unreadable) {
    hashUnit(0x10006);
    hashString(canonicalJson(value.raw));
  } else {
    hashUnit(0x10005);
    hashString(canonicalJson(value));
  }
}

function hashValue(value: unknown, parts: readonly string[] | undefined): void {
  if (typeof value === 'string') hashString(value);
  else if (
    parts === undefined ||
    typeof value !== 'object' ||
    value === null ||
    value instanceof Unreadable
  ) {
    hashOpaque(value);
  } else if (Array.isArray(value)) {
    hashUnit(0x10001);
    for (let i = 0; i < value.length; i++) {
      const item: unknown = value[i];
      if (typeof item === 'object' && item !== null) hashParts(item as Record<string, unknown>, parts);
      else hashOpaque(item);
    }
    hashUnit(0x10002);
  } else hashParts(value as Record<string, unknown>, parts);
}

const HEX = '0123456789abcdef';
const nibble = (n: number, shift: number) => HEX.charCodeAt((n >>> shift) & 15);

/** 16 hex digits of two 32-bit words, as one flat string. */
const hex16 = (a: number, b: number) =>
  String.fromCharCode(
    nibble(a, 28),
    nibble(a, 24),
    nibble(a, 20),
    nibble(a, 16),
    nibble(a, 12),
    nibble(a, 8),
    nibble(a, 4),
    nibble(a, 0),
    nibble(b, 28),
    nibble(b, 24),
    nibble(b, 20),
    nibble(b, 16),
    nibble(b, 12),
    nibble(b, 8),
    nibble(b, 4),
    nibble(b, 0),
  );

function fmix32(h: number): number {
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

function startHash(): void {
  lanes[0] = 0x811c9dc5;
  lanes[1] = 0xcbf29ce4;
}

function digest(): string {
  const h2 = lanes[1] as number;
  const a = fmix32((lanes[0] as number) ^ Math.imul(h2, 0x9e3779b1));
  const b = fmix32(h2 ^ a);
  return hex16(a, b);
}

/** 16 hex digits of the streaming hash of one text. */
export function hashText(text: string): string {
  startHash();
  hashString(text);
  return digest();
}

/** A field's place in the catalog: hashed instead of its name. */
export const fieldOrdinal = (field: FieldKey): number => FIELD_ORDER.get(field) ?? -1;

/**
 * A fingerprint fed field by field, in catalog order, as the values are normalised (plan's hot path:
 * no list of values is kept). `startFingerprint`, then `fingerprintField` per non-empty value, then
 * `finishFingerprint`; synchronous, one at a time.
 */
export const startFingerprint = startHash;
export const finishFingerprint = digest;

/** Adds one non-empty normalised value (`parts`: the field's parts, for structured values). */
export function fingerprintField(
  ordinal: number,
  value: unknown,
  parts: readonly string[] | undefined,
): void {
  if (typeof value === 'string') hashTaggedString(ordinal, value);
  else {
    hashUnit(ordinal);
    hashValue(value, parts);
  }
}

/**
 * The fingerprint of already-normalised values, one per field of `fields` (same order, catalog order).
 * Empty values contribute nothing, so "absent" and "blank" fingerprint alike; an unreadable value is
 * hashed as read.
 */
export function fingerprintValues(fields: readonly FieldKey[], values: readonly unknown[]): string {
  startHash();
  for (let i = 0; i < fields.length; i++) {
    const value = values[i];
    if (value === undefined || value === null) continue;
    const field = fields[i] as FieldKey;
    fingerprintField(fieldOrdinal(field), value, FIELD_PARTS.get(field));
  }
  return digest();
}

/** `fields` deduplicated in catalog order, so the fingerprint does not depend on how they were listed. */
export function canonicalFieldOrder(fields: readonly FieldKey[]): FieldKey[] {
  return [...new Set(fields)].sort((a, b) => (FIELD_ORDER.get(a) ?? 0) - (FIELD_ORDER.get(b) ?? 0));
}

/** The normal form of one raw value for fingerprints and comparisons; unreadable values are wrapped. */
export function normaliseForCompare(field: FieldKey, value: unknown, orgRefMatch?: OrgRefMatch): unknown {
  const result = comparedDefinition(field, orgRefMatch).normalise(value);
  return result.ok ? result.value : new Unreadable(value);
}

/**
 * The fingerprint a plan entry carries: a hash of the target's normalised values of the compared
 * `fields` (null when the target has no record). The engine recomputes it from a fresh read to see
 * whether the target moved since the preview. Independent of key order and of cosmetic variants.
 * `orgRefMatch` must be the plan's: under `name` OrgRef codes are not fingerprinted, so a target-side
 * code change alone is not a move.
 */
export function fingerprintEmployee(
  employee: Employee | undefined,
  fields: readonly FieldKey[],
  orgRefMatch?: OrgRefMatch,
): string | null {
  if (!employee) return null;
  const ordered = canonicalFieldOrder(fields);
  return fingerprintValues(
    ordered,
    ordered.map((field) => normaliseForCompare(field, employee[field], orgRefMatch)),
  );
}

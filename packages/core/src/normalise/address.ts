import type { Address } from '../employee.ts';
import { fail, type Normalised, ok, quote } from './result.ts';
import { hasOnlyKeys } from './shape.ts';
import { isNormalText, normaliseText } from './text.ts';

export const ADDRESS_PART_LABELS: Readonly<Record<keyof Address, string>> = {
  postalCode: '郵便番号',
  prefecture: '都道府県',
  city: '市区町村',
  street: '番地',
  building: '建物名',
};

const POSTAL_NOISE = /[〒\s\-\u2010-\u2015\u2212\u30FC]/g;
const SEVEN_DIGITS = /^\d{7}$/;
const POSTAL_CODE = /^\d{3}-\d{4}$/;
const ADDRESS_KEYS = Object.keys(ADDRESS_PART_LABELS);

/** Whether `value` is an address already in normal form (a quick check: false means "normalise it"). */
export const isNormalAddress = (value: unknown): value is Address =>
  typeof value === 'object' && value !== null && isNormalAddressParts(value as Record<string, unknown>);

const isNormalAddressParts = (raw: Record<string, unknown>): boolean =>
  typeof raw.postalCode === 'string' &&
  POSTAL_CODE.test(raw.postalCode) &&
  isNormalText(raw.prefecture) &&
  isNormalText(raw.city) &&
  (raw.street === undefined || isNormalText(raw.street)) &&
  (raw.building === undefined || isNormalText(raw.building)) &&
  hasOnlyKeys(raw, ADDRESS_KEYS);

/** `1500001`, `〒150-0001`, `１５０ー０００１` → `150-0001`. */
export function normalisePostalCode(value: unknown): Normalised<string> {
  if (value === undefined || value === null) return ok(undefined);
  if (typeof value !== 'string') return fail(`郵便番号${quote(value)}は文字列で指定してください`);
  const digits = normaliseText(value).replace(POSTAL_NOISE, '');
  if (digits === '') return ok(undefined);
  if (!SEVEN_DIGITS.test(digits)) return fail(`郵便番号${quote(value)}は7桁の数字で入力してください`);
  return ok(`${digits.slice(0, 3)}-${digits.slice(3)}`);
}

function part(raw: Record<string, unknown>, key: keyof Address): Normalised<string> {
  const value = raw[key];
  if (key === 'postalCode') return normalisePostalCode(value);
  if (value === undefined || value === null) return ok(undefined);
  if (typeof value !== 'string')
    return fail(`${ADDRESS_PART_LABELS[key]}${quote(value)}は文字列で指定してください`);
  return ok(normaliseText(value) || undefined);
}

/** 住所: postal code as `NNN-NNNN`, the text parts normalised; empty when every part is. */
export function normaliseAddress(value: unknown): Normalised<Address> {
  if (value === undefined || value === null) return ok(undefined);
  if (typeof value !== 'object' || Array.isArray(value))
    return fail(`${quote(value)}は住所として読み取れません`);
  if (isNormalAddress(value)) return ok(value);
  const raw = value as Record<string, unknown>;
  const parts: Partial<Record<keyof Address, string>> = {};
  for (const key of Object.keys(ADDRESS_PART_LABELS) as (keyof Address)[]) {
    const result = part(raw, key);
    if (!result.ok) return result;
    if (result.value !== undefined) parts[key] = result.value;
  }
  if (Object.keys(parts).length === 0) return ok(undefined);
  const address: Address = {
    postalCode: parts.postalCode ?? '',
    prefecture: parts.prefecture ?? '',
    city: parts.city ?? '',
  };
  if (parts.street !== undefined) address.street = parts.street;
  if (parts.building !== undefined) address.building = parts.building;
  return ok(address);
}

export const sameAddress = (a: Address, b: Address): boolean =>
  a.postalCode === b.postalCode &&
  a.prefecture === b.prefecture &&
  a.city === b.city &&
  a.street === b.street &&
  a.building === b.building;

export function formatAddress(address: Address): string {
  const postal = address.postalCode ? `〒${address.postalCode} ` : '';
  const rest = [address.prefecture + address.city + (address.street ?? ''), address.building ?? '']
    .filter((text) => text !== '')
    .join(' ');
  return (postal + rest).trim();
}

import type { OrgRef } from '../employee.ts';
import { fail, type Normalised, ok, quote } from './result.ts';
import { hasOnlyKeys } from './shape.ts';
import { isNormalText, normaliseText } from './text.ts';

const ORG_REF_KEYS = ['code', 'name'] as const;

function codeText(code: unknown): string | undefined | null {
  if (code === undefined || code === null) return undefined;
  if (typeof code === 'number' && Number.isFinite(code)) return String(code);
  if (typeof code !== 'string') return null;
  return normaliseText(code) || undefined;
}

/** Whether `value` is an OrgRef already in normal form (a quick check: false means "normalise it"). */
export function isNormalOrgRef(value: unknown): value is OrgRef {
  if (typeof value !== 'object' || value === null) return false;
  const raw = value as { code?: unknown; name?: unknown };
  return (
    isNormalText(raw.name) &&
    (raw.code === undefined || isNormalText(raw.code)) &&
    hasOnlyKeys(raw, ORG_REF_KEYS)
  );
}

/**
 * A master entry (雇用形態, 部署, 役職, 社員区分): `{ code?, name }`, text-normalised. A bare string
 * is a name without a code. Empty when it has neither.
 */
export function normaliseOrgRef(value: unknown): Normalised<OrgRef> {
  if (value === undefined || value === null) return ok(undefined);
  if (typeof value === 'string') {
    const name = normaliseText(value);
    return ok(name === '' ? undefined : { name });
  }
  if (typeof value !== 'object' || Array.isArray(value)) return fail(`${quote(value)}は読み取れません`);
  if (isNormalOrgRef(value)) return ok(value);
  const raw = value as { code?: unknown; name?: unknown };
  const code = codeText(raw.code);
  if (code === null) return fail(`コード${quote(raw.code)}は読み取れません`);
  if (raw.name !== undefined && raw.name !== null && typeof raw.name !== 'string') {
    return fail(`名称${quote(raw.name)}は読み取れません`);
  }
  const name = typeof raw.name === 'string' ? normaliseText(raw.name) : '';
  if (code === undefined) return ok(name === '' ? undefined : { name });
  return ok({ code, name });
}

/** Same entry: by code when both have one, else by name. */
export const sameOrgRef = (a: OrgRef, b: OrgRef): boolean =>
  a.code !== undefined && b.code !== undefined ? a.code === b.code : a.name === b.name;

export const formatOrgRef = (ref: OrgRef): string =>
  ref.code === undefined
    ? ref.name
    : ref.name === ''
      ? `（コード ${ref.code}）`
      : `${ref.name}（${ref.code}）`;

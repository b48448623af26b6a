import { fail, type Normalised, ok, quote } from './result.ts';
import { normaliseText } from './text.ts';

const EMAIL = /^([^\s@]+)@([^\s@]+)$/;
const ALREADY_NORMAL = /^[\x21-\x3F\x41-\x7E]+@[a-z0-9-]+(?:\.[a-z0-9-]+)*$/;

/** Whether `value` is an address already in normal form (a quick check: false means "normalise it"). */
export const isNormalEmail = (value: unknown): value is string =>
  typeof value === 'string' && ALREADY_NORMAL.test(value);

/** An e-mail address: NFKC, trimmed, domain lower-cased (the local part is the mailbox's own). */
export function normaliseEmail(value: unknown): Normalised<string> {
  if (value === undefined || value === null) return ok(undefined);
  if (typeof value !== 'string') return fail(`${quote(value)}はメールアドレスとして読み取れません`);
  if (isNormalEmail(value)) return ok(value);
  const text = normaliseText(value);
  if (text === '') return ok(undefined);
  const match = EMAIL.exec(text);
  if (!match || match[2]?.startsWith('.') || match[2]?.endsWith('.')) {
    return fail(`${quote(value)}はメールアドレスとして読み取れません`);
  }
  return ok(`${match[1]}@${(match[2] as string).toLowerCase()}`);
}

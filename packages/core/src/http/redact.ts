/** Replaces known secret values with `***` wherever they appear, also in URL- and form-encoded form. */
export interface Redactor {
  /** Learns more values to hide (e.g. a token the auth hook just returned). */
  add(...values: readonly (string | undefined)[]): void;
  redact(text: string): string;
  /** A copy of a log record with every string value redacted. */
  redactData(data: Record<string, unknown>): Record<string, unknown>;
}

export const REDACTED = '***';

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

export function createRedactor(secrets: readonly string[] = []): Redactor {
  const values = new Set<string>();
  let pattern: RegExp | undefined;

  const redactor: Redactor = {
    add(...added) {
      let changed = false;
      for (const value of added) {
        if (!value) continue;
        for (const variant of [
          value,
          encodeURIComponent(value),
          new URLSearchParams({ v: value }).toString().slice(2),
        ]) {
          if (!values.has(variant)) {
            values.add(variant);
            changed = true;
          }
        }
      }
      if (!changed) return;
      // Longest first, so a secret containing another is hidden whole.
      const sorted = [...values].sort((a, b) => b.length - a.length).map(escapeRegExp);
      pattern = new RegExp(sorted.join('|'), 'g');
    },
    redact(text) {
      return pattern ? text.replace(pattern, REDACTED) : text;
    },
    redactData(data) {
      return JSON.parse(redactor.redact(JSON.stringify(data))) as Record<string, unknown>;
    },
  };
  redactor.add(...secrets);
  return redactor;
}

/**
 * The outcome of normalising one value: `value` is the normal form (`undefined` when the value is
 * empty), or a Japanese message saying why the value cannot be read (the caller adds the label).
 */
export type Normalised<T> = { ok: true; value: T | undefined } | { ok: false; message: string };

export const ok = <T>(value: T | undefined): Normalised<T> => ({ ok: true, value });
export const fail = <T = never>(message: string): Normalised<T> => ({ ok: false, message });

/** How a raw value is quoted in a message: `「…」`, short enough for a notification line. */
export function quote(value: unknown): string {
  let text: string;
  if (typeof value === 'string') text = value;
  else if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint')
    text = String(value);
  else {
    try {
      text = JSON.stringify(value) ?? String(value);
    } catch {
      text = String(value);
    }
  }
  return `「${text.length > 60 ? `${text.slice(0, 59)}…` : text}」`;
}

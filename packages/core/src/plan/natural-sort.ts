const isDigit = (unit: number) => unit >= 48 && unit <= 57;

/**
 * A key whose plain string order is natural order (`E2` < `E10`): each digit run becomes a `0`
 * marker (no other character is `0`, and it sorts where a digit would), its length as one
 * character, then its digits without leading zeros. Keys are computed once, so sorting 100k codes
 * compares plain strings.
 */
export function naturalSortKey(text: string): string {
  let key = '';
  let copied = 0;
  for (let i = 0; i < text.length; ) {
    if (!isDigit(text.charCodeAt(i))) {
      i++;
      continue;
    }
    const run = i;
    while (i < text.length && isDigit(text.charCodeAt(i))) i++;
    let significant = run;
    while (significant < i - 1 && text.charCodeAt(significant) === 48) significant++;
    key += `${text.slice(copied, run)}0${String.fromCharCode(0x100 + i - significant)}${text.slice(significant, i)}`;
    copied = i;
  }
  return key + text.slice(copied);
}

const byKey = (a: { key: string; raw: string }, b: { key: string; raw: string }) =>
  a.key < b.key ? -1 : a.key > b.key ? 1 : a.raw < b.raw ? -1 : a.raw > b.raw ? 1 : 0;

/** Natural order of two texts; ties (`E01` / `E1`) fall back to code-unit order. */
export const compareNatural = (a: string, b: string): number =>
  byKey({ key: naturalSortKey(a), raw: a }, { key: naturalSortKey(b), raw: b });

/** Sorts items by a text in natural order, computing each key once. */
export function sortNatural<T>(items: readonly T[], text: (item: T) => string): T[] {
  const keyed = items.map((item) => {
    const raw = text(item);
    return { item, raw, key: naturalSortKey(raw) };
  });
  keyed.sort(byKey);
  return keyed.map(({ item }) => item);
}

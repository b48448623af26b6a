/**
 * The notations real systems write the same value in. Each function keeps the meaning and changes
 * only the form, so `plan` must treat the result as no difference from the original.
 */

// Full-width → half-width katakana, derived from Unicode's own NFKC mapping (half → full) rather
// than a hand-typed table; voiced kana become base + ﾞ/ﾟ as half-width text writes them.
const HALF_WIDTH: ReadonlyMap<string, string> = (() => {
  const map = new Map<string, string>();
  for (let code = 0xff66; code <= 0xff9d; code++) {
    const half = String.fromCodePoint(code);
    map.set(half.normalize('NFKC'), half);
    for (const mark of ['ﾞ', 'ﾟ']) {
      const voiced = (half + mark).normalize('NFKC');
      if (voiced.length === 1) map.set(voiced, half + mark);
    }
  }
  return map;
})();

/** `ヤマダ` → `ﾔﾏﾀﾞ` (characters without a half-width form are kept). */
export function toHalfWidthKana(text: string): string {
  return Array.from(text, (char) => HALF_WIDTH.get(char) ?? char).join('');
}

/** `ヤマダ` → `やまだ`; the long-vowel mark ー is kept as hiragana text writes it. */
export function toHiragana(text: string): string {
  return text.replace(/[\u30a1-\u30f6]/g, (char) => String.fromCharCode(char.charCodeAt(0) - 0x60));
}

/** `090-1234-5678` → `０９０-１２３４-５６７８`. */
export function toFullWidthDigits(text: string): string {
  return text.replace(/[0-9]/g, (digit) => String.fromCharCode(digit.charCodeAt(0) + 0xfee0));
}

export type DateNotation = 'slash' | 'compact' | 'wareki';
export const DATE_NOTATIONS: readonly DateNotation[] = ['slash', 'compact', 'wareki'];

const WAREKI = new Intl.DateTimeFormat('ja-JP-u-ca-japanese', {
  era: 'long',
  year: 'numeric',
  month: 'numeric',
  day: 'numeric',
  timeZone: 'UTC',
});

/** `1990-04-01` → `1990/4/1` · `19900401` · `平成2年4月1日` (`令和元年5月1日`). */
export function formatDate(iso: string, notation: DateNotation): string {
  const [year, month, day] = iso.split('-') as [string, string, string];
  switch (notation) {
    case 'slash':
      return `${year}/${Number(month)}/${Number(day)}`;
    case 'compact':
      return `${year}${month}${day}`;
    case 'wareki': {
      const parts = Object.fromEntries(
        WAREKI.formatToParts(new Date(`${iso}T00:00:00Z`)).map((part) => [part.type, part.value]),
      );
      // The first year of an era is written 元年.
      return `${parts.era}${parts.year === '1' ? '元' : parts.year}年${parts.month}月${parts.day}日`;
    }
  }
}

/** `090-1234-5678` → `09012345678`. */
export function withoutHyphens(text: string): string {
  return text.replaceAll('-', '');
}

/** `taro@example.co.jp` → `taro@EXAMPLE.CO.JP`. */
export function upperCaseDomain(email: string): string {
  const at = email.lastIndexOf('@');
  return at < 0 ? email : email.slice(0, at + 1) + email.slice(at + 1).toUpperCase();
}

/** Leading full-width and trailing ASCII space, as pasted from a spreadsheet. */
export function withStraySpaces(text: string): string {
  return `\u3000${text} `;
}

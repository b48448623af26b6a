import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isEmptyValue, normaliseText, normaliseTextValue } from './text.ts';

describe('normaliseText', () => {
  it('applies NFKC and collapses whitespace, incl. the full-width space', () => {
    expect(normaliseText('\u3000山田\u3000\u3000太郎 ')).toBe('山田 太郎');
    expect(normaliseText('ＡＢＣ　１２３')).toBe('ABC 123');
    expect(normaliseText('ｶﾞｲｱ\t\nﾃｽﾄ')).toBe('ガイア テスト');
    expect(normaliseText('㈱ｼｽﾃﾑ')).toBe('(株)システム');
  });

  it('drops invisible characters before composing', () => {
    expect(normaliseText('山\u200B田')).toBe('山田');
    expect(normaliseText('e\u200B\u0301')).toBe('é');
  });

  it('is idempotent on any text', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (text) => {
        const once = normaliseText(text);
        expect(normaliseText(once)).toBe(once);
      }),
      { numRuns: 500 },
    );
  });
});

describe('normaliseTextValue', () => {
  it('reads blank as empty and refuses non-text', () => {
    expect(normaliseTextValue(' \u3000 ')).toEqual({ ok: true, value: undefined });
    expect(normaliseTextValue(42)).toEqual({ ok: true, value: '42' });
    expect(normaliseTextValue({ a: 1 })).toEqual({
      ok: false,
      message: '「{"a":1}」は文字列として読み取れません',
    });
  });
});

describe('isEmptyValue', () => {
  it('treats null, blank text and structures of blanks as empty', () => {
    for (const empty of [undefined, null, '', '\u3000', [], [{ name: ' ' }], { code: undefined, name: '' }]) {
      expect(isEmptyValue(empty)).toBe(true);
    }
    for (const full of [0, 'a', { name: 'x' }, ['x'], false]) expect(isEmptyValue(full)).toBe(false);
  });
});

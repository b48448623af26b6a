import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { normaliseHolderKana, normaliseNameKana, sameHolderKana, toFullWidthKatakana } from './kana.ts';

describe('kana', () => {
  it('folds half-width katakana and hiragana to full-width katakana', () => {
    expect(toFullWidthKatakana('ﾔﾏﾀﾞ')).toBe('ヤマダ');
    expect(toFullWidthKatakana('やまだ')).toBe('ヤマダ');
    expect(toFullWidthKatakana('ゔぁゝゞ')).toBe('ヴァヽヾ');
    expect(toFullWidthKatakana('ｼﾞｮｰｼﾞ')).toBe('ジョージ');
    expect(toFullWidthKatakana('ﾊﾟﾝ')).toBe('パン');
  });

  it('removes spaces inside a name part', () => {
    expect(normaliseNameKana(' やま　だ ')).toEqual({ ok: true, value: 'ヤマダ' });
    expect(normaliseNameKana('ｼﾞｮﾝ・ｽﾐｽ')).toEqual({ ok: true, value: 'ジョン・スミス' });
    expect(normaliseNameKana('　')).toEqual({ ok: true, value: undefined });
  });

  it('refuses what is not kana', () => {
    expect(normaliseNameKana('山田')).toEqual({
      ok: false,
      message: '「山田」はカタカナまたはひらがなで入力してください',
    });
    expect(normaliseNameKana('Yamada').ok).toBe(false);
    expect(normaliseNameKana(3).ok).toBe(false);
  });

  it('keeps one space between the words of an account holder, compared without it', () => {
    expect(normaliseHolderKana('ﾔﾏﾀﾞ  ﾀﾛｳ')).toEqual({ ok: true, value: 'ヤマダ タロウ' });
    expect(normaliseHolderKana('ｶ)ﾚﾝｹｲ')).toEqual({ ok: true, value: 'カ)レンケイ' });
    expect(sameHolderKana('ヤマダ タロウ', 'ヤマダタロウ')).toBe(true);
    expect(sameHolderKana('ヤマダ タロウ', 'ヤマダ ジロウ')).toBe(false);
    expect(normaliseHolderKana('山田').ok).toBe(false);
  });

  const kanaText = fc
    .array(
      fc.integer({ min: 0x30a1, max: 0x30f6 }).map((code) => String.fromCharCode(code)),
      { maxLength: 8 },
    )
    .map((chars) => chars.join(''));

  it('is idempotent', () => {
    fc.assert(
      fc.property(fc.oneof(kanaText, fc.string({ unit: 'binary' })), (text) => {
        for (const normalise of [normaliseNameKana, normaliseHolderKana]) {
          const once = normalise(text);
          if (once.ok && once.value !== undefined) expect(normalise(once.value)).toEqual(once);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('treats hiragana and spaced variants as the same reading', () => {
    fc.assert(
      fc.property(kanaText, fc.nat(8), (kana, at) => {
        const hiragana = kana.replace(/[\u30a1-\u30f6]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0x60));
        const spaced = `${kana.slice(0, at)}\u3000${kana.slice(at)} `;
        expect(normaliseNameKana(hiragana)).toEqual(normaliseNameKana(kana));
        expect(normaliseNameKana(spaced)).toEqual(normaliseNameKana(kana));
      }),
    );
  });
});

import { describe, expect, it } from 'vitest';
import {
  formatDate,
  toFullWidthDigits,
  toHalfWidthKana,
  toHiragana,
  upperCaseDomain,
  withoutHyphens,
  withStraySpaces,
} from './notation.ts';

describe('notations', () => {
  it('writes katakana half-width, voiced kana as base plus mark, and NFKC folds it back', () => {
    expect(toHalfWidthKana('ヤマダ タロウ')).toBe('ﾔﾏﾀﾞ ﾀﾛｳ');
    expect(toHalfWidthKana('パーヴ')).toBe('ﾊﾟｰｳﾞ');
    const kana = 'ガギグゲゴザジズゼゾダヂヅデドバビブベボパピプペポァィゥェォャュョッヲンー';
    expect(toHalfWidthKana(kana).normalize('NFKC')).toBe(kana);
  });

  it('writes katakana as hiragana', () => {
    expect(toHiragana('サイトウ ユウコ')).toBe('さいとう ゆうこ');
    expect(toHiragana('ハルカー')).toBe('はるかー');
  });

  it('writes dates the ways HR data does', () => {
    expect(formatDate('1990-04-01', 'slash')).toBe('1990/4/1');
    expect(formatDate('1990-04-01', 'compact')).toBe('19900401');
    expect(formatDate('1990-04-01', 'wareki')).toBe('平成2年4月1日');
    expect(formatDate('1989-01-07', 'wareki')).toBe('昭和64年1月7日');
    expect(formatDate('1989-01-08', 'wareki')).toBe('平成元年1月8日');
    expect(formatDate('2019-05-01', 'wareki')).toBe('令和元年5月1日');
  });

  it('changes only the form of phones, e-mails and names', () => {
    expect(toFullWidthDigits('090-1234-5678')).toBe('０９０-１２３４-５６７８');
    expect(withoutHyphens('090-1234-5678')).toBe('09012345678');
    expect(upperCaseDomain('taro.yamada@example.co.jp')).toBe('taro.yamada@EXAMPLE.CO.JP');
    expect(withStraySpaces('山田')).toBe('\u3000山田 ');
  });
});

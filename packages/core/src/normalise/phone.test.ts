import { describe, expect, it } from 'vitest';
import { normalisePhone, phoneDigits, samePhone } from './phone.ts';

describe('phone', () => {
  it('keeps the source formatting, tidied', () => {
    expect(normalisePhone('０３ー１２３４ー５６７８')).toEqual({ ok: true, value: '03-1234-5678' });
    expect(normalisePhone(' (03) 1234-5678 ')).toEqual({ ok: true, value: '(03) 1234-5678' });
    expect(normalisePhone('')).toEqual({ ok: true, value: undefined });
  });

  it('compares by digits', () => {
    expect(samePhone('03-1234-5678', '0312345678')).toBe(true);
    expect(samePhone('+81 3-1234-5678', '03-1234-5678')).toBe(true);
    expect(samePhone('+81 90 1234 5678', '090-1234-5678')).toBe(true);
    expect(samePhone('03-1234-5678', '03-1234-5679')).toBe(false);
    expect(phoneDigits('+1 555 0100')).toBe('+15550100');
  });

  it('refuses extensions, words and numbers (a number has lost its leading 0)', () => {
    expect(normalisePhone('03-1234-5678 内線12')).toEqual({
      ok: false,
      message: '「03-1234-5678 内線12」は電話番号として読み取れません（数字とハイフンで入力してください）',
    });
    expect(normalisePhone('12').ok).toBe(false);
    expect(normalisePhone(312345678).ok).toBe(false);
  });
});

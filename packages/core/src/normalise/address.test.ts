import { describe, expect, it } from 'vitest';
import { formatAddress, normaliseAddress, normalisePostalCode } from './address.ts';

describe('address', () => {
  it.each(['1500001', '150-0001', '〒150-0001', '１５０ー０００１', '150 0001'])(
    'reads the postal code %s',
    (code) => {
      expect(normalisePostalCode(code)).toEqual({ ok: true, value: '150-0001' });
    },
  );

  it('refuses a postal code that is not 7 digits', () => {
    expect(normalisePostalCode('150-001')).toEqual({
      ok: false,
      message: '郵便番号「150-001」は7桁の数字で入力してください',
    });
  });

  it('normalises every part and drops empty optional ones', () => {
    expect(
      normaliseAddress({
        postalCode: '1500001',
        prefecture: '東京都',
        city: '渋谷区',
        street: '神宮前１－２－３',
        building: ' ',
      }),
    ).toEqual({
      ok: true,
      value: { postalCode: '150-0001', prefecture: '東京都', city: '渋谷区', street: '神宮前1-2-3' },
    });
    expect(normaliseAddress({ postalCode: '', prefecture: ' ', city: '' })).toEqual({
      ok: true,
      value: undefined,
    });
    expect(normaliseAddress('東京都').ok).toBe(false);
    expect(normaliseAddress({ postalCode: '1', prefecture: '東京都', city: '渋谷区' }).ok).toBe(false);
  });

  it('formats for display', () => {
    expect(
      formatAddress({
        postalCode: '150-0001',
        prefecture: '東京都',
        city: '渋谷区',
        street: '神宮前1-2-3',
        building: 'ABCビル',
      }),
    ).toBe('〒150-0001 東京都渋谷区神宮前1-2-3 ABCビル');
  });
});

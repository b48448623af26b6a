import { describe, expect, it } from 'vitest';
import { formatBankAccount, normaliseBankAccounts, sameBankAccounts } from './bank-account.ts';

const account = {
  bankCode: '5',
  branchCode: '01',
  accountType: '普通',
  accountNumber: '１２３４',
  holderKana: 'ﾔﾏﾀﾞ ﾀﾛｳ',
};

describe('bank accounts', () => {
  it('zero-pads the codes and reads the holder as kana', () => {
    expect(normaliseBankAccounts([account])).toEqual({
      ok: true,
      value: [
        {
          bankCode: '0005',
          branchCode: '001',
          accountType: 'ordinary',
          accountNumber: '0001234',
          holderKana: 'ヤマダ タロウ',
        },
      ],
    });
    expect(normaliseBankAccounts({ ...account, bankCode: 5, accountType: 'checking' })).toMatchObject({
      ok: true,
      value: [{ bankCode: '0005', accountType: 'checking' }],
    });
  });

  it('drops blank accounts and reads an empty list as empty', () => {
    expect(normaliseBankAccounts([])).toEqual({ ok: true, value: undefined });
    expect(normaliseBankAccounts([{ bankCode: '', holderKana: ' ' }])).toEqual({
      ok: true,
      value: undefined,
    });
  });

  it('names the part that cannot be read', () => {
    expect(normaliseBankAccounts([{ ...account, bankCode: '12345' }])).toEqual({
      ok: false,
      message: '銀行コード「12345」は4桁までの数字で入力してください',
    });
    expect(normaliseBankAccounts([account, { ...account, accountType: '外貨' }])).toEqual({
      ok: false,
      message: '2件目の口座: 預金種目「外貨」は普通・当座・貯蓄のいずれかで指定してください',
    });
    expect(normaliseBankAccounts([{ ...account, branchCode: '' }])).toEqual({
      ok: false,
      message: '支店コードがありません',
    });
    expect(normaliseBankAccounts([{ ...account, holderKana: '山田' }]).ok).toBe(false);
  });

  it('compares holders without the word space', () => {
    const a = normaliseBankAccounts(account);
    const b = normaliseBankAccounts({ ...account, holderKana: 'やまだたろう', bankCode: '0005' });
    if (!a.ok || !b.ok || !a.value || !b.value) throw new Error('expected accounts');
    expect(sameBankAccounts(a.value, b.value)).toBe(true);
    expect(sameBankAccounts(a.value, [])).toBe(false);
    expect(formatBankAccount(a.value[0]!)).toBe('0005-001 普通 0001234 ヤマダ タロウ');
  });
});

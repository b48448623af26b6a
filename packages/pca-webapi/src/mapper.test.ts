import type { Employee } from '@renkei/core';
import { describe, expect, it } from 'vitest';
import type { BEMasterSyain } from './api.ts';
import { type CodeRule, canonicalCode, resolveCodeRule, vendorCode } from './codes.ts';
import { halfWidthUnits, toHalfWidthKana } from './halfwidth.ts';
import { fromPca, type MapperContext, toPcaCreate, toPcaModify } from './mapper.ts';
import { PCA_KYUYO as KYUYO } from './products.ts';

const PADDED: CodeRule = { width: 6, fillZero: true, source: 'pca' };
const PLAIN: CodeRule = { width: 13, fillZero: false, source: 'pca' };
const ctx = (over: Partial<MapperContext> = {}): MapperContext => ({
  product: KYUYO,
  codeRule: PLAIN,
  masters: { department: [], jobTitle: [], employmentType: [], employeeCategory: [] },
  today: '2026-04-01',
  ...over,
});
const hanako: Employee = {
  employeeCode: 'A0012',
  lastName: '佐藤',
  firstName: '花子',
  lastNameKana: 'サトウ',
  firstNameKana: 'ハナコ',
};
const stored = (extra: Partial<BEMasterSyain> = {}): BEMasterSyain => ({
  Code: 'A0012',
  Sei: '佐藤',
  Mei: '花子',
  ...extra,
});
const issuesOf = (result: ReturnType<typeof toPcaCreate>) => (result.ok ? [] : result.issues);

describe('社員コード (半角英数カナ, at most the company 桁数)', () => {
  it('takes A0012, a 13-character code and 半角カナ, and refuses a 14th character or a hyphen', () => {
    expect(vendorCode('A0012', PLAIN)).toEqual({ ok: true, code: 'A0012' });
    expect(vendorCode('ＡＢＣ１２３４５６７８９０', PLAIN)).toEqual({ ok: true, code: 'ABC1234567890' });
    expect(vendorCode('ア01', PLAIN)).toEqual({ ok: true, code: 'ｱ01' });
    expect(vendorCode('ABCDEFGHIJ1234', PLAIN)).toMatchObject({
      ok: false,
      message: expect.stringContaining('13桁'),
    });
    expect(vendorCode('E-001', PLAIN)).toMatchObject({
      ok: false,
      message: expect.stringContaining('半角英数字'),
    });
  });

  it('０詰め only where the company fills zeros, only numeric codes, and to its width', () => {
    expect(vendorCode('123', PADDED)).toEqual({ ok: true, code: '000123' });
    expect(vendorCode('A12', PADDED)).toEqual({ ok: true, code: 'A12' });
    expect(vendorCode('1234567', PADDED)).toMatchObject({
      ok: false,
      message: expect.stringContaining('6桁'),
    });
    expect(vendorCode('123', PLAIN)).toEqual({ ok: true, code: '123' });
    expect(canonicalCode('0123', PADDED)).toBe(canonicalCode('123', PADDED));
    expect(canonicalCode('0123', PLAIN)).not.toBe(canonicalCode('123', PLAIN));
    expect(canonicalCode('ｱ01', PLAIN)).toBe(canonicalCode('ア01', PLAIN));
  });

  it('takes the company record first, the connection only for what it does not say, and never guesses', () => {
    expect(resolveCodeRule({ width: 6, fillZero: true }, { width: 8, fillZero: false })).toEqual({
      width: 6,
      fillZero: true,
      source: 'pca',
    });
    expect(resolveCodeRule({ width: 6 }, { fillZero: false })).toEqual({
      width: 6,
      fillZero: false,
      source: 'connection',
    });
    expect(resolveCodeRule({}, { width: 8 })).toBeUndefined();
    const unknown = toPcaCreate(hanako, ctx({ codeRule: undefined }));
    expect(issuesOf(unknown)).toEqual([
      expect.objectContaining({
        field: 'employeeCode',
        message: expect.stringContaining('連携設定で「社員コードの桁数」'),
      }),
    ]);
  });
});

describe('姓・名 and フリガナ (separate PCA fields)', () => {
  it('writes 姓 and 名 apart and フリガナ in 半角カナ, and reads them back as they were', () => {
    const created = toPcaCreate({ ...hanako, lastNameKana: 'ガッコウ', firstNameKana: 'ぱんだ' }, ctx());
    expect(created).toMatchObject({
      ok: true,
      record: { Sei: '佐藤', Mei: '花子', SeiKana: 'ｶﾞｯｺｳ', MeiKana: 'ﾊﾟﾝﾀﾞ' },
    });
    const read = fromPca((created as { record: BEMasterSyain }).record, ctx());
    expect(read).toMatchObject({ ok: true, employee: { lastNameKana: 'ガッコウ', firstNameKana: 'パンダ' } });
  });

  it('refuses an 11-character 姓 and a フリガナ over 20 半角 characters in words an admin can act on', () => {
    const issues = issuesOf(
      toPcaCreate(
        { ...hanako, lastName: '勅使河原勅使河原勅使河', firstNameKana: 'ガギグゲゴザジズゼゾダ' },
        ctx(),
      ),
    );
    expect(issues.map((issue) => issue.field)).toEqual(['lastName', 'firstNameKana']);
    expect(issues[0]?.message).toContain('全角10文字（半角20文字）まで');
    expect(issues[1]?.message).toContain('半角20文字');
    // Exactly 10 全角 or 20 半角 fit.
    expect(toPcaCreate({ ...hanako, lastName: '勅使河原勅使河原勅使' }, ctx()).ok).toBe(true);
    expect(toPcaCreate({ ...hanako, lastName: 'Abcdefghijabcdefghij' }, ctx()).ok).toBe(true);
    expect(halfWidthUnits(toHalfWidthKana('ガギグゲゴザジズゼゾ'))).toBe(20);
  });

  it('reads a 姓 with a space inside as the 姓 (no split at the space)', () => {
    const read = fromPca(stored({ Sei: 'デ ラ クルス', Mei: 'マリア' }), ctx());
    expect(read).toMatchObject({ ok: true, employee: { lastName: 'デ ラ クルス', firstName: 'マリア' } });
  });

  it('modifies 名 alone without touching 姓', () => {
    expect(toPcaModify(stored({ Id: 1, BEVersion: 3 }), { firstName: '華子' }, ctx())).toEqual({
      ok: true,
      record: { Code: 'A0012', Id: 1, BEVersion: 3, Mei: '華子' },
    });
  });
});

describe('在籍状況 from PCA 退職区分', () => {
  it('reads a 退職者 without 退職日 as retired, and a 在籍 record with an old 退職日 as PCA says', () => {
    expect(fromPca(stored({ TaisyokuKubun: 1, TaisyokuDate: 0 }), ctx())).toMatchObject({
      ok: true,
      employee: { status: 'retired' },
    });
    expect(fromPca(stored({ TaisyokuKubun: 0 }), ctx())).toMatchObject({ employee: { status: 'employed' } });
    // A record without the 区分 falls back to its 退職日.
    expect(fromPca(stored({ TaisyokuDate: 20260331 }), ctx())).toMatchObject({
      employee: { status: 'retired' },
    });
  });

  it('creates a retiree as a 退職者, never as active staff; a past 退職日 written makes one', () => {
    expect(toPcaCreate({ ...hanako, status: 'retired' }, ctx())).toMatchObject({
      record: { TaisyokuKubun: 1 },
    });
    expect(toPcaCreate({ ...hanako, retireDate: '2026-03-31' }, ctx())).toMatchObject({
      record: { TaisyokuKubun: 1, TaisyokuDate: 20260331 },
    });
    expect(toPcaCreate({ ...hanako, retireDate: '2026-09-30' }, ctx())).toMatchObject({
      record: { TaisyokuKubun: 0 },
    });
    expect(toPcaModify(stored(), { retireDate: '2026-03-31' }, ctx())).toMatchObject({
      record: { TaisyokuDate: 20260331, TaisyokuKubun: 1 },
    });
  });
});

describe('住所 (現住所 by default, 住民票住所 by setting) and further contacts', () => {
  const both = stored({
    ZipCode: '150-0001',
    Address1: '東京都渋谷区',
    Address2: '神宮前1-1',
    JuminZipCode: '980-0001',
    JuminAddress1: '宮城県仙台市',
    JuminAddress2: '青葉区1-1',
    KeitaiTelNo: '090-0000-0000',
    KaisyaMailAddress: 'hanako@corp.example.jp',
  });

  it('reads and writes the 現住所 unless the connection chose the 住民票住所', () => {
    expect(fromPca(both, ctx())).toMatchObject({
      employee: { address: { postalCode: '150-0001', prefecture: '東京都' } },
    });
    expect(fromPca(both, ctx({ address: 'resident' }))).toMatchObject({
      employee: { address: { postalCode: '980-0001', prefecture: '宮城県', city: '仙台市' } },
    });
    const address = { postalCode: '100-0001', prefecture: '東京都', city: '千代田区', street: '1-1' };
    const current = toPcaModify(both, { address }, ctx());
    expect(current).toMatchObject({ record: { ZipCode: '100-0001' } });
    expect((current as { record: object }).record).not.toHaveProperty('JuminZipCode');
    const resident = toPcaModify(both, { address }, ctx({ address: 'resident' }));
    expect(resident).toMatchObject({ record: { JuminZipCode: '100-0001', JuminAddress1: '東京都千代田区' } });
    expect((resident as { record: object }).record).not.toHaveProperty('ZipCode');
  });

  it('sends only changed fields, so the other address and further contacts are kept', () => {
    const modify = toPcaModify(both, { phone: '03-1111-2222' }, ctx());
    expect(modify).toEqual({
      ok: true,
      record: { Code: 'A0012', Id: undefined, BEVersion: undefined, TelNo: '03-1111-2222' },
    });
  });
});

import { describe, expect, it } from 'vitest';
import { formatOrgRef, normaliseOrgRef, sameOrgRef } from './org-ref.ts';

describe('OrgRef', () => {
  it('normalises code and name; a bare string is a name', () => {
    expect(normaliseOrgRef({ code: ' Ｄ０１ ', name: '営業部　第一課' })).toEqual({
      ok: true,
      value: { code: 'D01', name: '営業部 第一課' },
    });
    expect(normaliseOrgRef('ｿﾑﾌﾞ')).toEqual({ ok: true, value: { name: 'ソムブ' } });
    expect(normaliseOrgRef({ code: 7, name: '正社員' })).toEqual({
      ok: true,
      value: { code: '7', name: '正社員' },
    });
    expect(normaliseOrgRef({ code: '', name: ' ' })).toEqual({ ok: true, value: undefined });
    expect(normaliseOrgRef(['x']).ok).toBe(false);
    expect(normaliseOrgRef({ name: 3 }).ok).toBe(false);
  });

  it('compares by code when both have one, else by name', () => {
    expect(sameOrgRef({ code: 'D01', name: '営業部' }, { code: 'D01', name: '営業本部' })).toBe(true);
    expect(sameOrgRef({ code: 'D01', name: '営業部' }, { code: 'D02', name: '営業部' })).toBe(false);
    expect(sameOrgRef({ code: 'D01', name: '営業部' }, { name: '営業部' })).toBe(true);
    expect(sameOrgRef({ name: '営業部' }, { name: '総務部' })).toBe(false);
  });

  it('formats the name with its code', () => {
    expect(formatOrgRef({ code: 'D01', name: '営業部' })).toBe('営業部（D01）');
    expect(formatOrgRef({ name: '営業部' })).toBe('営業部');
  });
});

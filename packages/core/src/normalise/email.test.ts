import { describe, expect, it } from 'vitest';
import { normaliseEmail } from './email.ts';

describe('normaliseEmail', () => {
  it('trims and lower-cases the domain only', () => {
    expect(normaliseEmail(' Taro.Yamada@EXAMPLE.Co.JP ')).toEqual({
      ok: true,
      value: 'Taro.Yamada@example.co.jp',
    });
    expect(normaliseEmail('ｔａｒｏ＠ｅｘａｍｐｌｅ．ｊｐ')).toEqual({ ok: true, value: 'taro@example.jp' });
    expect(normaliseEmail('\u3000')).toEqual({ ok: true, value: undefined });
  });

  it.each(['taro', 'taro@', '@example.jp', 'ta ro@example.jp', 'a@b@c', 'taro@.example.jp'])(
    'refuses %s',
    (text) => {
      expect(normaliseEmail(text)).toEqual({
        ok: false,
        message: `「${text}」はメールアドレスとして読み取れません`,
      });
    },
  );
});

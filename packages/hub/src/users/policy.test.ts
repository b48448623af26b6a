import { describe, expect, it } from 'vitest';
import { passwordProblem } from './policy.ts';

const owner = { email: 'hanako.sato@example.jp', name: '佐藤 花子' };

describe('password policy', () => {
  it('needs at least 12 characters', () => {
    expect(passwordProblem('eleven char', owner)).toBe('パスワードは12文字以上にしてください。');
    expect(passwordProblem('twelve chars', owner)).toBeUndefined();
  });

  it('refuses the e-mail local part, its parts, and near copies of it', () => {
    for (const password of [
      'hanako.sato@example.jp',
      'Hanako.Sato2026!',
      'ＨＡＮＡＫＯＳＡＴＯ１２',
      'hanakosatou1234',
    ]) {
      expect(passwordProblem(password, owner), password).toMatch(/メールアドレスや名前/);
    }
  });

  it('refuses the name, written with or without its space', () => {
    expect(passwordProblem('佐藤花子佐藤花子佐藤花子', owner)).toMatch(/メールアドレスや名前/);
    expect(passwordProblem('Yamada Taro 1234', { email: 'x@example.jp', name: 'Yamada Taro' })).toMatch(
      /メールアドレスや名前/,
    );
  });

  it('accepts the name inside a password with enough characters of its own', () => {
    expect(passwordProblem('hanako likes the blue sea', owner)).toBeUndefined();
    expect(passwordProblem('hanako.sato-2026', owner)).toMatch(/メールアドレスや名前/);
  });

  it('accepts a long password unrelated to the account', () => {
    expect(passwordProblem('correct horse battery staple', owner)).toBeUndefined();
    // A two-character part (花子) inside a long password is no resemblance.
    expect(passwordProblem('花子の好きな青い海と白い砂浜', owner)).toBeUndefined();
  });
});

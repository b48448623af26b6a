import { describe, expect, it } from 'vitest';
import { hashPassword, verifyPassword } from './password.ts';

describe('password hashing', () => {
  it('stores argon2id with a random salt and verifies only the right password', async () => {
    const a = await hashPassword('パスワード123456');
    const b = await hashPassword('パスワード123456');
    expect(a).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect(a).not.toBe(b);
    expect(a).not.toContain('パスワード');
    expect(await verifyPassword('パスワード123456', a)).toBe(true);
    expect(await verifyPassword('パスワード123457', a)).toBe(false);
    expect(await verifyPassword('パスワード123456', 'plain')).toBe(false);
  });
});

import { describe, expect, it } from 'vitest';
import { randomToken, sessionCsrfToken, tokensEqual } from './csrf.ts';

describe('csrf tokens', () => {
  it('derives a stable token per session that differs between sessions', () => {
    const session = randomToken();
    expect(sessionCsrfToken(session)).toBe(sessionCsrfToken(session));
    expect(sessionCsrfToken(session)).not.toBe(sessionCsrfToken(randomToken()));
    expect(sessionCsrfToken(session)).not.toContain(session);
  });

  it('compares tokens exactly', () => {
    const token = randomToken();
    expect(tokensEqual(token, token)).toBe(true);
    expect(tokensEqual(token, `${token}x`)).toBe(false);
    expect(tokensEqual(token, undefined)).toBe(false);
    expect(tokensEqual(token, randomToken())).toBe(false);
  });
});

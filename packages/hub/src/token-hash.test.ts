import { describe, expect, it } from 'vitest';
import { hashToken } from './token-hash.ts';

describe('hashToken', () => {
  it('keeps a token as its sha256 in hex (the form sessions, set-up links and API tokens are stored in)', () => {
    expect(hashToken('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });
});

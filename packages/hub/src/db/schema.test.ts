import { describe, expect, it } from 'vitest';
import { RUN_OUTCOMES } from './schema.ts';

describe('RUN_OUTCOMES', () => {
  it('lists each outcome once (counts and the CLI schema enumerate it)', () => {
    expect(new Set(RUN_OUTCOMES).size).toBe(RUN_OUTCOMES.length);
  });
});

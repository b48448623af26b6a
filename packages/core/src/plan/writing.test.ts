import { describe, expect, it } from 'vitest';
import { isWriting, PlanStatus } from './types.ts';

describe('isWriting', () => {
  it('is true for 新規登録, 差分あり and 別人の可能性 only: what a run writes (select-all keeps to the first two)', () => {
    const writing = PlanStatus.options.filter((status) => isWriting({ status }));
    expect(writing).toEqual(['new', 'changed', 'identity_mismatch']);
  });
});

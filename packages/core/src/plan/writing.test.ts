import { describe, expect, it } from 'vitest';
import { isWriting, PlanStatus } from './types.ts';

describe('isWriting', () => {
  it('is true for 新規登録 and 差分あり only: what select-all takes and a run writes', () => {
    const writing = PlanStatus.options.filter((status) => isWriting({ status }));
    expect(writing).toEqual(['new', 'changed']);
  });
});

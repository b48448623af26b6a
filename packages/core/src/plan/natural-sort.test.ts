import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compareNatural, sortNatural } from './natural-sort.ts';

const sorted = (codes: string[]) => sortNatural(codes, (code) => code);

describe('natural sort', () => {
  it('orders digit runs by value', () => {
    expect(sorted(['E10', 'E2', 'E1', 'E100', 'D5', 'E02'])).toEqual([
      'D5',
      'E1',
      'E02',
      'E2',
      'E10',
      'E100',
    ]);
    expect(sorted(['10', '9', 'A', '1-10', '1-9', ''])).toEqual(['', '1-9', '1-10', '9', '10', 'A']);
    expect(sorted(['E000010', 'E000002', 'E000001'])).toEqual(['E000001', 'E000002', 'E000010']);
  });

  it('keeps non-digit text in code-unit order', () => {
    expect(sorted(['b', 'a', 'B', 'a1', 'a-'])).toEqual(['B', 'a', 'a-', 'a1', 'b']);
  });

  it('agrees with Intl numeric collation on letters and digits, and is a total order', () => {
    const collator = new Intl.Collator('en', { numeric: true, sensitivity: 'variant', caseFirst: 'upper' });
    const code = fc.stringMatching(/^[A-Z]{0,2}[1-9]\d{0,4}$/);
    fc.assert(
      fc.property(code, code, (a, b) => {
        expect(Math.sign(compareNatural(a, b))).toBe(a === b ? 0 : Math.sign(collator.compare(a, b)));
        // Antisymmetry as a sum: `-Math.sign(0)` is -0, which `toBe` tells apart from 0.
        expect(Math.sign(compareNatural(a, b)) + Math.sign(compareNatural(b, a))).toBe(0);
      }),
    );
  });
});

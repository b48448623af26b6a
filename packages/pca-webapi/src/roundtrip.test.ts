import { type Employee, fieldValuesEqual } from '@renkei/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type CodeRule, canonicalCode } from './codes.ts';
import { defaultMasters } from './fake/seed.ts';
import { parseRecord, storedCode, validateRecord } from './fake/validate.ts';
import { fromPca, type MapperContext, toPcaCreate } from './mapper.ts';
import { PCA_KYUYO_HYPER as HYPER, PCA_KYUYO as KYUYO } from './products.ts';

/**
 * Any HR record either round-trips through PCA's real field shapes (the fake, which applies PCA's
 * rules, accepts it and reads it back the same) or is refused by the mapper — which is what the
 * preview's checkWrites runs — with a message. Never by the vendor.
 */

const chars = (pool: string) => fc.constantFrom(...pool);
const text = (pool: string, maxLength: number) =>
  fc.array(chars(pool), { minLength: 0, maxLength }).map((list) => list.join(''));
const NAME_POOL = '山田佐藤勅使河原デラクルス abcXYZ ｱｲｳ　';
const KANA_POOL = 'やまだヤマダガギグパピプヴーｰﾔﾏﾀﾞヰヮ漢 ';
const CODE_POOL = '0123456789AZaz-ｱア';
const date = fc
  .date({ min: new Date('1950-01-01T00:00:00Z'), max: new Date('2030-12-31T00:00:00Z'), noInvalidDate: true })
  .map((value) => value.toISOString().slice(0, 10));

const employee: fc.Arbitrary<Employee> = fc.record(
  {
    employeeCode: text(CODE_POOL, 15).filter((code) => code.trim() !== ''),
    lastName: text(NAME_POOL, 14),
    firstName: text(NAME_POOL, 14),
    lastNameKana: text(KANA_POOL, 14),
    firstNameKana: text(KANA_POOL, 14),
    retireDate: date,
    status: fc.constantFrom('employed', 'on_leave', 'retired'),
    gender: fc.constantFrom('male', 'female'),
  },
  { requiredKeys: ['employeeCode'] },
) as fc.Arbitrary<Employee>;

const RULES: CodeRule[] = [
  { width: 6, fillZero: true, source: 'pca' },
  { width: 13, fillZero: false, source: 'pca' },
  { width: 4, fillZero: false, source: 'connection' },
];
const masters = defaultMasters();

describe('HR record ⇄ PCA field shapes (property)', () => {
  for (const product of [KYUYO, HYPER]) {
    it(`${product.displayName}: round-trips or is refused in the preview with a message`, () => {
      fc.assert(
        fc.property(employee, fc.constantFrom(...RULES), (hr, codeRule) => {
          const ctx: MapperContext = {
            product,
            codeRule,
            masters: { ...masters, employeeCategory: product.employeeCategories ?? [] },
            today: '2026-04-01',
          };
          const mapped = toPcaCreate(hr, ctx);
          if (!mapped.ok) {
            expect(mapped.issues.length).toBeGreaterThan(0);
            for (const issue of mapped.issues) expect(issue.message).toMatch(/\S/);
            return;
          }
          // What PCA would do with it: parse, store the code, validate the whole record.
          const parsed = parseRecord(JSON.parse(JSON.stringify(mapped.record)), product);
          expect(parsed).toHaveProperty('record');
          expect(storedCode(mapped.record.Code, codeRule)).toEqual({ code: mapped.record.Code });
          expect(validateRecord(mapped.record, { product, masters })).toBeUndefined();

          const back = fromPca(mapped.record, ctx);
          if (!back.ok) throw new Error(`unreadable: ${JSON.stringify(back.issues)}`);
          const read = back.employee;
          expect(canonicalCode(read.employeeCode, codeRule)).toBe(canonicalCode(hr.employeeCode, codeRule));
          for (const field of [
            'lastName',
            'firstName',
            'lastNameKana',
            'firstNameKana',
            'retireDate',
          ] as const) {
            expect(fieldValuesEqual(field, read[field], hr[field]), field).toBe(true);
          }
          const retired =
            hr.status === 'retired' || (hr.retireDate !== undefined && hr.retireDate <= ctx.today);
          expect(read.status).toBe(retired ? 'retired' : 'employed');
        }),
        { numRuns: 400, seed: 20260401 },
      );
    });
  }
});

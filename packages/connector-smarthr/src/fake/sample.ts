import type { Employee } from '@renkei/core';
import { generateEmployees } from '@renkei/testkit/fakes';

/** Generated employees as SmartHR can hold them: its 性別 is 男性 or 女性, so 未設定 is left empty. */
export function smarthrSample(count: number, seed: number): Employee[] {
  return generateEmployees({ count, seed }).map(({ gender, ...employee }) =>
    gender === 'unspecified' ? employee : { ...employee, ...(gender ? { gender } : {}) },
  );
}

import { describe, expect, it } from 'vitest';
import { perRecordAnswers, writeOutcomes } from './write-answers.ts';

const modelled = {
  ArrayOfBEResultOfMasterSyain: {
    BEResultOfMasterSyain: [
      { Status: 'Success', ErrorMessage: null },
      { Status: 'Failure', ErrorMessage: '姓は必須です。' },
    ],
  },
};
const integration = {
  ArrayOfBEKyuIntegrationResultOfBEMasterSyain: {
    BEKyuIntegrationResultOfBEMasterSyain: [
      { InnerStatus: 'Failure', ErrorMessage: '社員コードが重複しています。', Target: null },
      { InnerStatus: 'Success', ErrorMessage: null, Target: { BEMasterSyain: { Code: '2' } } },
    ],
  },
};

describe('write answers', () => {
  it('reads the modelled Status shape and the 商魂 InnerStatus shape, bare or inside BusinessValue', () => {
    expect(writeOutcomes(modelled)).toEqual([
      { ok: true, message: undefined },
      { ok: false, message: '姓は必須です。' },
    ]);
    const expected = [
      { ok: false, message: '社員コードが重複しています。' },
      { ok: true, message: undefined },
    ];
    expect(writeOutcomes(integration)).toEqual(expected);
    expect(writeOutcomes({ Code: 'X', Message: 'm', BusinessValue: integration })).toEqual(expected);
    expect(writeOutcomes({ Code: 'WEBSV600400', Message: '形式が正しくありません。' })).toBeUndefined();
    expect(writeOutcomes({ ArrayOfBEOtherIntegrationResultOfBEMasterBumon: {} })).toBeUndefined();
  });

  it('hands a non-200 that wraps per-record results on as a 200 of them; any other answer unchanged', async () => {
    const answers = [
      Response.json({ BusinessValue: integration }, { status: 400 }),
      Response.json({ Code: 'WEBSV600400', Message: 'x' }, { status: 400 }),
      Response.json(modelled),
    ];
    const fetch = perRecordAnswers(async () => answers.shift() as Response);
    const wrapped = await fetch('https://example.invalid');
    expect(wrapped.status).toBe(200);
    expect(await wrapped.json()).toEqual(integration);
    const plain = await fetch('https://example.invalid');
    expect(plain.status).toBe(400);
    expect(await plain.json()).toEqual({ Code: 'WEBSV600400', Message: 'x' });
    expect((await fetch('https://example.invalid')).status).toBe(200);
  });
});

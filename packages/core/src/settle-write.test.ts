import { describe, expect, it } from 'vitest';
import { settleWrite } from './connector.ts';
import { ConnectorError } from './errors.ts';

const write = { employeeCode: 'E1', op: 'update' as const };

describe('settleWrite', () => {
  it('is ok with the op when the request succeeds', async () => {
    expect(await settleWrite(write, async () => undefined)).toEqual({
      employeeCode: 'E1',
      ok: true,
      op: 'update',
    });
  });

  it('makes the vendor’s refusal of this record its result', async () => {
    for (const kind of ['validation', 'conflict', 'not_found'] as const) {
      const result = await settleWrite(write, async () => {
        throw new ConnectorError(kind, '登録できません。');
      });
      expect(result).toMatchObject({
        employeeCode: 'E1',
        ok: false,
        error: { kind, message: '登録できません。' },
      });
    }
  });

  it('throws what is about the exchange, for apply to retry or resolve', async () => {
    const lost = new ConnectorError('transient', '応答がありません。', { retryable: true });
    await expect(settleWrite(write, () => Promise.reject(lost))).rejects.toBe(lost);
    await expect(settleWrite(write, () => Promise.reject(new TypeError('bug')))).rejects.toThrow('bug');
  });
});

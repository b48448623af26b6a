import { describe, expect, it } from 'vitest';
import { readWebhook, tokenMatches } from './webhook.ts';

describe('SmartHR webhook', () => {
  it('matches the token exactly, and never without a configured one', () => {
    expect(tokenMatches('secret-token', 'secret-token')).toBe(true);
    for (const presented of ['secret-toke', 'secret-tokenx', 'SECRET-TOKEN', '', null, undefined]) {
      expect(tokenMatches(presented, 'secret-token'), String(presented)).toBe(false);
    }
    expect(tokenMatches('', '')).toBe(false);
    expect(tokenMatches('anything', undefined)).toBe(false);
    expect(tokenMatches('1', 1)).toBe(false);
  });

  it('imports for crew_created and crew_updated, with the crew’s 社員番号 when it has one', () => {
    expect(readWebhook({ event: 'crew_created', crew: { id: 'c1', emp_code: 'E1' } })).toEqual({
      kind: 'import',
      event: 'crew_created',
      employeeCode: 'E1',
    });
    expect(readWebhook({ event: 'crew_updated', crew: { emp_code: null } })).toEqual({
      kind: 'import',
      event: 'crew_updated',
      employeeCode: undefined,
    });
  });

  it('ignores other events and refuses what is not an event', () => {
    expect(readWebhook({ event: 'crew_deleted', crew: { emp_code: 'E1' } })).toEqual({
      kind: 'ignore',
      event: 'crew_deleted',
    });
    for (const body of [undefined, null, 'crew_created', { crew: {} }, { event: 'x'.repeat(65) }]) {
      expect(readWebhook(body)).toEqual({ kind: 'invalid' });
    }
  });
});

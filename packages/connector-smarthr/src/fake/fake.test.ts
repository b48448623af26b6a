import { createVirtualClock } from '@renkei/core';
import { describe, expect, it } from 'vitest';
import { createSmarthrFake } from './index.ts';
import { smarthrSample } from './sample.ts';

describe('SmartHR fake state', () => {
  it('comes back from its snapshot as it was, through JSON, and new crews continue its ids', () => {
    const clock = createVirtualClock(Date.UTC(2026, 3, 1));
    const fake = createSmarthrFake({ clock });
    fake.seed('default', smarthrSample(5, 9));
    const copy = createSmarthrFake({ clock });
    copy.restore(JSON.parse(JSON.stringify(fake.snapshot())));
    expect(copy.records('default')).toEqual(fake.records('default'));
    copy.seed('default', [{ employeeCode: 'NEXT', lastName: '次', firstName: '郎' }]);
    expect(copy.snapshot()).toMatchObject({ nextId: 7 });
  });

  it('refuses a snapshot it did not write, keeping its state', () => {
    const fake = createSmarthrFake({ clock: createVirtualClock(0) });
    fake.seed('default', smarthrSample(2, 3));
    for (const bad of [undefined, {}, { crews: [{ id: 1 }], nextId: 2 }, { crews: [], nextId: 0 }]) {
      expect(() => fake.restore(bad)).toThrow();
    }
    expect(fake.records('default')).toHaveLength(2);
  });
});

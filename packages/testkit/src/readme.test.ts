import { expect, it } from 'vitest';
import { fieldTable, updateReadme } from './readme.ts';

const spec = {
  vendorName: 'テスト',
  codeItem: '`code`',
  vendorItem: (key: string) => ({ lastName: '`last`', phone: '`tel`' })[key],
};

it('lists the declared fields in catalog order with the vendor’s item and the direction', () => {
  const table = fieldTable({ ...spec, fields: { phone: 'read', lastName: 'readWrite' } });
  expect(table.split('\n')).toEqual([
    '| 従業員リストの項目 | テストの項目 | 連携の向き |',
    '|---|---|---|',
    '| 社員番号（照合キー） | `code` | 双方向 |',
    '| 姓 | `last` | 双方向 |',
    '| 電話番号 | `tel` | テスト → 従業員リストのみ |',
  ]);
  expect(fieldTable({ ...spec, hrName: '社員名簿', fields: { phone: 'write' } })).toContain(
    '| 電話番号 | `tel` | 社員名簿 → テストのみ |',
  );
});

it('refuses a declared field the mapper cannot carry', () => {
  expect(() => fieldTable({ ...spec, fields: { gender: 'readWrite' } })).toThrow('gender');
});

it('replaces only the section between the markers, and says when they are missing', () => {
  const readme = 'before\n<!-- fields:start -->\nold\n<!-- fields:end -->\nafter';
  expect(updateReadme(readme, 'new')).toBe('before\n<!-- fields:start -->\nnew\n<!-- fields:end -->\nafter');
  expect(() => updateReadme('no markers', 'new')).toThrow('markers');
});

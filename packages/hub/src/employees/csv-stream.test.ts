import iconv from 'iconv-lite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestHub, type TestHub } from '../testing/hub.ts';
import { IMPORT_BATCH_ROWS } from './csv-import.ts';

let t: TestHub;
beforeAll(async () => {
  t = await startTestHub();
}, 300_000);
afterAll(() => t.close());

const importText = (bytes: Uint8Array, encoding?: 'utf-8' | 'shift_jis') =>
  t.hub.employees.importCsv(t.admin.id, bytes, encoding ? { encoding } : {});

describe('CSV import: lines and encodings', () => {
  it('names the line a row starts on, after blank lines and quoted line breaks', async () => {
    const text = '社員番号,姓,名\r\n\r\nL001,"山田\r\n二行目",太郎\r\n\r\n\r\nL002,佐藤,1980-13-01\r\n';
    const result = await importText(Buffer.from(text.replace('1980-13-01', '花子,x'), 'utf8'));
    expect(result.errors).toEqual([expect.objectContaining({ row: 7, field: 'record' })]);
    const withBadName = '社員番号,姓,名,生年月日\n\nL003,山田,太郎,1980-02-30\n';
    expect((await importText(Buffer.from(withBadName))).errors).toEqual([
      expect.objectContaining({ row: 3, field: 'birthDate' }),
    ]);
  });

  it('detects UTF-8 with or without BOM and Shift_JIS by itself', async () => {
    const text = '社員番号,姓,名\nE001,髙橋,一郎\n';
    for (const [bytes, encoding] of [
      [Buffer.from(`\uFEFF${text}`, 'utf8'), 'utf-8'],
      [Buffer.from(text, 'utf8'), 'utf-8'],
      [iconv.encode(text, 'cp932'), 'shift_jis'],
    ] as const) {
      const result = await importText(bytes);
      expect(result).toMatchObject({ errors: [], imported: 1, encoding });
    }
    expect((await t.hub.employees.get('E001'))?.employee.lastName).toBe('髙橋');
  });

  it('refuses bytes invalid in the chosen encoding with line and column, and stores nothing', async () => {
    const bytes = Buffer.concat([
      Buffer.from('社員番号,姓,名\nF001,山田,太郎\nF002,ab', 'utf8'),
      iconv.encode('山田', 'cp932'),
      Buffer.from(',花子\n', 'utf8'),
    ]);
    // Detected as UTF-8 by its header, so the stray bytes are reported where they are.
    const result = await importText(bytes);
    expect(result.imported).toBe(0);
    expect(result.errors).toEqual([
      {
        row: 3,
        field: 'record',
        label: '',
        message: expect.stringMatching(
          /^8文字目にUTF-8として読めない文字があります。文字コードを確認してください/,
        ),
      },
    ]);
    expect(await t.hub.employees.get('F001')).toBeNull();
  });

  it('says 文字コードを確認してください when the header does not decode or reads as nothing known', async () => {
    const sjisFile = iconv.encode('社員番号,姓,名\nG001,山田,太郎\n', 'cp932');
    const asUtf8 = await importText(sjisFile, 'utf-8');
    expect(asUtf8.errors).toEqual([
      expect.objectContaining({ row: 1, message: expect.stringContaining('文字コードを確認してください') }),
    ]);
    const utf8File = Buffer.from('社員番号,姓,名\nG001,山田,太郎\n', 'utf8');
    const asSjis = await importText(utf8File, 'shift_jis');
    expect(asSjis.errors[0]?.message).toContain('文字コードを確認してください');
    expect(await t.hub.employees.get('G001')).toBeNull();
  });

  it('answers binary garbage and broken quoting in Japanese', async () => {
    const garbage = Buffer.from([
      0x50, 0x4b, 0x03, 0x04, 0x14, 0x00, 0x06, 0x00, 0x08, 0x00, 0x00, 0x00, 0x21, 0x00,
    ]);
    const binary = await importText(garbage);
    expect(binary.errors).toHaveLength(1);
    expect(binary.errors[0]?.message).toMatch(
      /^CSVファイルとして読み取れません。.*文字コードを確認してください/,
    );
    const quote = await importText(Buffer.from('社員番号,姓,名\nH001,"山田,太郎\n'), 'utf-8');
    expect(quote.errors).toEqual([
      expect.objectContaining({ message: '「"」で始まった値が閉じられていません。' }),
    ]);
    expect(quote.errors[0]?.message).not.toMatch(/[a-z]{4}/i);
    expect(await t.hub.employees.get('H001')).toBeNull();
  });

  it('rolls back every batch when a row in the last one is bad', async () => {
    // More than two steps on either database.
    const count = Math.max(IMPORT_BATCH_ROWS.pglite, IMPORT_BATCH_ROWS.postgres) * 2 + 10;
    const lines = Array.from({ length: count }, (_, i) => `K${String(i).padStart(5, '0')},山田,太郎`);
    lines[count - 1] = 'K99999,山田,太郎,余分';
    const result = await importText(Buffer.from(`社員番号,姓,名\n${lines.join('\n')}\n`));
    expect(result).toMatchObject({ imported: 0, created: 0 });
    expect(result.errors).toEqual([expect.objectContaining({ row: count + 1 })]);
    expect(await t.hub.employees.get('K00000')).toBeNull();
    const partial = await t.hub.employees.importCsv(
      t.admin.id,
      Buffer.from(`社員番号,姓,名\n${lines.join('\n')}\n`),
      { onlyValidRows: true },
    );
    expect(partial).toMatchObject({ imported: count - 1, created: count - 1 });
  });
});

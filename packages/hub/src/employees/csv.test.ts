import type { Employee } from '@renkei/core';
import { parse } from 'csv-parse/sync';
import iconv from 'iconv-lite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HubError } from '../errors.ts';
import { startTestHub, type TestHub } from '../testing/hub.ts';
import { formatEmployeesCsv } from './csv.ts';

let t: TestHub;
beforeAll(async () => {
  t = await startTestHub();
});
afterAll(() => t.close());

const header = '社員番号,姓,名,姓（フリガナ）,名（フリガナ）,生年月日,性別,部署（コード）,部署（名称）';
const sjis = (text: string) => iconv.encode(text.replaceAll('\n', '\r\n'), 'Shift_JIS');

describe('CSV import and export', () => {
  it('round-trips a Shift_JIS file with 全角 names', async () => {
    const file = sjis(
      `${header}\n` +
        'A001,髙橋,一郎,タカハシ,イチロウ,1985/4/1,男性,D10,営業部\n' +
        'A002,山﨑,花子,ﾔﾏｻｷ,はなこ,1990-12-31,女,,\n',
    );
    const result = await t.hub.employees.importCsv(t.admin.id, file, { encoding: 'shift_jis' });
    expect(result).toMatchObject({ imported: 2, created: 2, updated: 0, errors: [] });
    expect((await t.hub.employees.get('A001'))?.employee).toEqual({
      employeeCode: 'A001',
      lastName: '髙橋',
      firstName: '一郎',
      lastNameKana: 'タカハシ',
      firstNameKana: 'イチロウ',
      birthDate: '1985-04-01',
      gender: 'male',
      department: { code: 'D10', name: '営業部' },
    });

    const exported = await t.hub.employees.exportCsv(t.admin.id, { encoding: 'shift_jis' });
    const text = iconv.decode(Buffer.from(exported), 'Shift_JIS');
    expect(text.split('\r\n')[0]).toBe(t.hub.employees.csvColumns().join(','));
    expect(text).toContain('A002,山﨑,花子,ヤマサキ,ハナコ,,,,,1990-12-31,,,女性');

    const again = await t.hub.employees.importCsv(t.admin.id, exported, { encoding: 'shift_jis' });
    expect(again).toMatchObject({ imported: 2, created: 0, updated: 0, errors: [] });
    expect((await t.hub.employees.history('A001')).length).toBe(1);
  });

  it('reports a bad row with its row and field and imports nothing', async () => {
    const file = sjis(
      `${header}\n` +
        'B001,鈴木,次郎,スズキ,ジロウ,1980-01-01,男性,,\n' +
        'B002,田中,三郎,タナカ,サブロウ,1980-02-30,不正,,\n',
    );
    const result = await t.hub.employees.importCsv(t.admin.id, file, { encoding: 'shift_jis' });
    expect(result.imported).toBe(0);
    expect(result.errors).toEqual([
      { row: 3, field: 'birthDate', label: '生年月日', message: expect.stringContaining('存在しない日付') },
      { row: 3, field: 'gender', label: '性別', message: expect.stringContaining('男性・女性・未設定') },
    ]);
    expect(await t.hub.employees.get('B001')).toBeNull();
  });

  it('refuses a control character in a cell (NUL, VT, US) with its line and column, and allows TAB', async () => {
    const file = Buffer.from(
      `${header}\n` +
        'K001,山\u0000田,太郎,,,,,,\n' +
        'K002,佐藤,"\u000B花子",,,,,,\n' +
        'K003,鈴木,一郎,,,,,D1,営業\u001F部\n' +
        'K004,"高\t橋",次郎,,,,,,\n',
    );
    const result = await t.hub.employees.importCsv(t.admin.id, file, { onlyValidRows: true });
    expect(result.errors).toEqual([
      {
        row: 2,
        field: 'lastName',
        label: '姓',
        message: '姓に使えない文字（制御文字 U+0000）が含まれています。',
      },
      {
        row: 3,
        field: 'firstName',
        label: '名',
        message: '名に使えない文字（制御文字 U+000B）が含まれています。',
      },
      {
        row: 4,
        field: 'department',
        label: '部署（名称）',
        message: '部署（名称）に使えない文字（制御文字 U+001F）が含まれています。',
      },
    ]);
    expect(result.imported).toBe(1);
    expect((await t.hub.employees.get('K004'))?.employee.lastName).toBe('高 橋');
    for (const code of ['K001', 'K002', 'K003']) expect(await t.hub.employees.get(code)).toBeNull();
  });

  it('imports only the good rows when asked', async () => {
    const file = Buffer.from(
      `\uFEFF${header}\n` +
        'C001,伊藤,四郎,イトウ,シロウ,,,,\n' +
        ',名無し,,,,,,,\n' +
        'C001,伊藤,五郎,,,,,,\n',
    );
    const result = await t.hub.employees.importCsv(t.admin.id, file, { onlyValidRows: true });
    expect(result.imported).toBe(1);
    expect(result.errors).toEqual([
      {
        row: 3,
        field: 'employeeCode',
        label: '社員番号',
        message: expect.stringContaining('社員番号がありません'),
      },
      { row: 4, field: 'employeeCode', label: '社員番号', message: expect.stringContaining('2行目と重複') },
    ]);
    expect((await t.hub.employees.get('C001'))?.employee.firstName).toBe('四郎');
  });

  it('imports more rows than one statement holds: creates, updates, and leaves unchanged rows alone', async () => {
    const rows = (from: number, to: number, name: (i: number) => string) =>
      Array.from(
        { length: to - from },
        (_, k) => `M${String(from + k).padStart(5, '0')},${name(from + k)},太郎,,,,,,`,
      );
    const first = await t.hub.employees.importCsv(
      t.admin.id,
      Buffer.from(`${header}\n${rows(0, 1200, () => '松本').join('\n')}\n`),
    );
    expect(first).toMatchObject({ imported: 1200, created: 1200, updated: 0, errors: [] });

    // 0–599 unchanged, 600–1199 renamed, 1200–1799 new.
    const second = await t.hub.employees.importCsv(
      t.admin.id,
      Buffer.from(
        `${header}\n${[...rows(0, 600, () => '松本'), ...rows(600, 1800, (i) => `松本${i}`)].join('\n')}\n`,
      ),
    );
    expect(second).toMatchObject({ imported: 1800, created: 600, updated: 600, errors: [] });
    expect((await t.hub.employees.list({ search: 'm0' })).total).toBe(1800);
    expect((await t.hub.employees.get('M00599'))?.employee.lastName).toBe('松本');
    expect((await t.hub.employees.get('M00600'))?.employee.lastName).toBe('松本600');
    expect((await t.hub.employees.get('M01799'))?.employee).toEqual({
      employeeCode: 'M01799',
      lastName: '松本1799',
      firstName: '太郎',
    });
    expect((await t.hub.employees.history('M00599')).map((entry) => entry.op)).toEqual(['create']);
    const renamed = await t.hub.employees.get('M01000');
    expect(renamed?.createdAt.getTime()).toBeLessThan(renamed?.updatedAt.getTime() ?? 0);
    expect(await t.hub.employees.history('M01000')).toMatchObject([
      {
        op: 'update',
        actor: `user:${t.admin.id}`,
        changes: [{ field: 'lastName', before: '松本', after: '松本1000' }],
      },
      { op: 'create' },
    ]);
  });

  it('writes only the columns the file has; an empty cell in one of them clears the field', async () => {
    await t.hub.employees.create(t.admin.id, {
      employeeCode: 'P001',
      lastName: '中村',
      firstName: '六郎',
      email: 'nakamura@example.jp',
      department: { code: 'D20', name: '総務部' },
      address: { postalCode: '100-0001', prefecture: '東京都', city: '千代田区', street: '1-1' },
    });
    const result = await t.hub.employees.importCsv(
      t.admin.id,
      Buffer.from('社員番号,姓,メールアドレス,住所（郵便番号）\nP001,中川,,150-0001\nP002,新人,,\n'),
    );
    expect(result).toMatchObject({ imported: 2, created: 1, updated: 1, errors: [] });
    expect((await t.hub.employees.get('P001'))?.employee).toEqual({
      employeeCode: 'P001',
      lastName: '中川',
      firstName: '六郎',
      department: { code: 'D20', name: '総務部' },
      address: { postalCode: '150-0001', prefecture: '東京都', city: '千代田区', street: '1-1' },
    });
    expect((await t.hub.employees.get('P002'))?.employee).toEqual({ employeeCode: 'P002', lastName: '新人' });
    expect((await t.hub.employees.history('P001'))[0]?.changes.map((change) => change.field)).toEqual([
      'lastName',
      'email',
      'address',
    ]);
  });

  it('refuses a row whose cell count differs from the header, rather than guessing what is missing', async () => {
    const result = await t.hub.employees.importCsv(t.admin.id, Buffer.from('社員番号,姓,名\nQ001,木村\n'));
    expect(result).toMatchObject({
      imported: 0,
      created: 0,
      updated: 0,
      errors: [
        {
          row: 2,
          field: 'record',
          label: '',
          message: expect.stringContaining('列数（2）が見出し行の列数（3）'),
        },
      ],
    });
    expect(await t.hub.employees.get('Q001')).toBeNull();
  });

  it('carries up to three 給与振込口座 and keeps any further ones', async () => {
    const account = (n: number) => ({
      bankCode: '0001',
      branchCode: `00${n}`,
      accountType: 'ordinary',
      accountNumber: `123456${n}`,
      holderKana: 'ヤマダ タロウ',
    });
    const created = await t.hub.employees.create(t.admin.id, {
      employeeCode: 'R001',
      lastName: '山田',
      bankAccounts: [1, 2, 3, 4].map(account),
    });
    const stored = created.employee.bankAccounts ?? [];
    expect(stored).toHaveLength(4);

    const header = t.hub.employees.csvColumns();
    expect(header.filter((column) => column.startsWith('給与振込口座'))).toHaveLength(15);
    expect(header).toContain('給与振込口座（口座番号）');
    expect(header).toContain('給与振込口座3（口座番号）');
    const text = new TextDecoder().decode(await t.hub.employees.exportCsv(t.admin.id));
    const row = text.split('\r\n').find((line) => line.startsWith('R001,')) ?? '';
    for (const n of [1, 2, 3]) expect(row).toContain(`123456${n}`);

    // The exported file imports as no change; a file naming only the 2nd account's number changes that.
    const again = await t.hub.employees.importCsv(t.admin.id, Buffer.from(text));
    expect(again.updated).toBe(0);
    const second = await t.hub.employees.importCsv(
      t.admin.id,
      Buffer.from('社員番号,給与振込口座2（口座番号）\nR001,7654321\n'),
    );
    expect(second).toMatchObject({ updated: 1, errors: [] });
    expect((await t.hub.employees.get('R001'))?.employee.bankAccounts).toEqual([
      stored[0],
      { ...stored[1], accountNumber: '7654321' },
      stored[2],
      stored[3],
    ]);

    // Emptying every column of the 1st account removes it; the others move up.
    const parts = header.filter((column) => column.startsWith('給与振込口座（'));
    await t.hub.employees.importCsv(
      t.admin.id,
      Buffer.from(`社員番号,${parts.join(',')}\nR001${','.repeat(parts.length)}\n`),
    );
    expect((await t.hub.employees.get('R001'))?.employee.bankAccounts).toEqual([
      { ...stored[1], accountNumber: '7654321' },
      stored[2],
      stored[3],
    ]);
  });

  it('imports and exports the ビジネスネーム beside the legal name', async () => {
    const file =
      '社員番号,姓,名,ビジネスネーム（姓）,ビジネスネーム（姓・フリガナ）\n' + 'N001,山田,花子,鈴木,すずき\n';
    expect(await t.hub.employees.importCsv(t.admin.id, Buffer.from(file))).toMatchObject({
      created: 1,
      errors: [],
    });
    expect((await t.hub.employees.get('N001'))?.employee).toMatchObject({
      lastName: '山田',
      businessLastName: '鈴木',
      businessLastNameKana: 'スズキ',
    });
    const columns = t.hub.employees.csvColumns();
    expect(columns.slice(5, 9)).toEqual([
      'ビジネスネーム（姓）',
      'ビジネスネーム（名）',
      'ビジネスネーム（姓・フリガナ）',
      'ビジネスネーム（名・フリガナ）',
    ]);
    const text = new TextDecoder().decode(await t.hub.employees.exportCsv(t.admin.id));
    expect(text).toContain('N001,山田,花子,,,鈴木,,スズキ,');
  });

  it('refuses unknown columns', async () => {
    const result = await t.hub.employees.importCsv(t.admin.id, Buffer.from('社員番号,年収\nD001,1000\n'));
    expect(result.errors).toEqual([
      { row: 1, field: 'record', label: '年収', message: '不明な列「年収」があります。' },
    ]);
  });
});

describe('CSV formula cells', () => {
  const cells = {
    S001: {
      lastName: '=HYPERLINK("http://example.invalid","開く")',
      firstName: '-',
      phone: '+81 3-1234-5678',
    },
    S002: { lastName: '@SUM(A1)', firstName: "'=既に引用", department: { code: '+D1', name: "'普通" } },
  };

  it('writes formula-like cells behind a quote, and reads them back unchanged', async () => {
    for (const [employeeCode, fields] of Object.entries(cells)) {
      await t.hub.employees.create(t.admin.id, { employeeCode, ...fields });
    }
    const utf8 = await t.hub.employees.exportCsv(t.admin.id);
    const [header = [], ...rows]: string[][] = parse(Buffer.from(utf8), { bom: true });
    const row = (code: string) =>
      Object.fromEntries(header.map((column, i) => [column, rows.find((cells) => cells[0] === code)?.[i]]));
    expect(row('S001')).toMatchObject({
      姓: `'=HYPERLINK("http://example.invalid","開く")`,
      名: "'-",
      電話番号: "'+81 3-1234-5678",
    });
    // A value already quoted by hand gets one more quote; one that is not a formula keeps its own.
    expect(row('S002')).toMatchObject({
      姓: "'@SUM(A1)",
      名: "''=既に引用",
      '部署（コード）': "'+D1",
      '部署（名称）': "'普通",
    });
    for (const cell of rows.flat()) expect(cell).not.toMatch(/^[=+\-@\t\r]/);

    const sjis = await t.hub.employees.exportCsv(t.admin.id, { encoding: 'shift_jis' });
    for (const [bytes, encoding] of [
      [utf8, 'utf-8'],
      [sjis, 'shift_jis'],
    ] as const) {
      const again = await t.hub.employees.importCsv(t.admin.id, bytes, { encoding });
      expect(again).toMatchObject({ created: 0, updated: 0, errors: [] });
    }
    for (const [employeeCode, fields] of Object.entries(cells)) {
      expect((await t.hub.employees.get(employeeCode))?.employee).toEqual({ employeeCode, ...fields });
      expect(await t.hub.employees.history(employeeCode)).toHaveLength(1);
    }
  });

  it('reads a hand-quoted formula cell as its text', async () => {
    const result = await t.hub.employees.importCsv(
      t.admin.id,
      Buffer.from("社員番号,姓,名,電話番号\nS003,'=1+2,'plain,'+81 3-0000-0000\n"),
    );
    expect(result).toMatchObject({ created: 1, errors: [] });
    expect((await t.hub.employees.get('S003'))?.employee).toEqual({
      employeeCode: 'S003',
      lastName: '=1+2',
      firstName: "'plain",
      phone: '+81 3-0000-0000',
    });
  });
});

describe('Shift_JIS export of characters it cannot hold', () => {
  let own: TestHub;
  beforeAll(async () => {
    own = await startTestHub();
  });
  afterAll(() => own.close());

  it('refuses, naming each 社員番号 and column, and UTF-8 exports the same data intact', async () => {
    const employees = [
      { employeeCode: 'U001', lastName: '𠮷田', firstName: '太郎' },
      { employeeCode: 'U002', lastName: '佐藤', firstName: '剝' },
      { employeeCode: 'U003', lastName: '髙橋', address: { city: '港区', street: '1〜2番 3−4' } },
      { employeeCode: 'U004', lastName: '山﨑' },
    ];
    for (const employee of employees) await own.hub.employees.create(own.admin.id, employee);

    await expect(own.hub.employees.exportCsv(own.admin.id, { encoding: 'shift_jis' })).rejects.toMatchObject({
      name: 'HubError',
      kind: 'validation',
      message:
        'Shift_JISで表せない文字があるため出力できません。UTF-8で出力してください: 社員番号 U001 の「姓」（𠮷）、' +
        '社員番号 U002 の「名」（剝）、社員番号 U003 の「住所（番地）」（〜−）',
      issues: [
        { field: 'lastName', value: '𠮷田' },
        { field: 'firstName', value: '剝' },
        { field: 'address', value: '1〜2番 3−4' },
      ],
    });

    const utf8 = await own.hub.employees.exportCsv(own.admin.id, { encoding: 'utf-8' });
    const again = await own.hub.employees.importCsv(own.admin.id, utf8);
    expect(again).toMatchObject({ imported: 4, created: 0, updated: 0, errors: [] });
    expect((await own.hub.employees.get('U001'))?.employee.lastName).toBe('𠮷田');
    expect((await own.hub.employees.get('U003'))?.employee.address?.street).toBe('1〜2番 3−4');
  });

  it('lists the first ten cells and counts the rest', () => {
    const employees: Employee[] = Array.from({ length: 12 }, (_, i) => ({
      employeeCode: `V${String(i + 1).padStart(2, '0')}`,
      lastName: '𠮷田',
    }));
    let refused: unknown;
    try {
      formatEmployeesCsv(employees, 'shift_jis');
    } catch (error) {
      refused = error;
    }
    expect(refused).toBeInstanceOf(HubError);
    const { message, issues } = refused as HubError;
    expect(issues).toHaveLength(12);
    expect(message).toMatch(
      /^Shift_JISで表せない文字があるため出力できません。UTF-8で出力してください: .*社員番号 V10 の「姓」（𠮷）、ほか2件$/,
    );
    expect(message).not.toContain('V11');
  });
});

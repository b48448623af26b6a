import { createVirtualClock } from '@renkei/core';
import { setupServer } from 'msw/node';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { PCA_KYUYO_HYPER as HYPER, PCA_KYUYO as KYUYO } from '../products.ts';
import { PCA, productRoot } from '../vendor.ts';
import { createPcaFake, FAKE_CREDENTIALS } from './index.ts';

const clock = createVirtualClock(Date.UTC(2026, 3, 1));
const fake = createPcaFake({ product: KYUYO, clock });
const hyper = createPcaFake({ product: HYPER, clock });
const server = setupServer(...fake.handlers, ...hyper.handlers);
const root = productRoot('east02', KYUYO.productCode);
const [, AREA_2026, OTHER_COMPANY] = fake.dataAreas() as [string, string, string];

beforeAll(() => server.listen({ onUnhandledFrame: 'error' }));
afterAll(() => server.close());
beforeEach(() => {
  fake.reset();
  hyper.reset();
});

/** The vendor's password grant with the fake's credentials (a login, holding a licence). */
function passwordGrant(base = root) {
  return fetch(`${base}/${PCA.paths.token}`, {
    method: 'POST',
    body: new URLSearchParams({
      grant_type: 'password',
      client_id: FAKE_CREDENTIALS.clientId,
      client_secret: FAKE_CREDENTIALS.clientSecret,
      service_id: FAKE_CREDENTIALS.serviceId,
      service_password: FAKE_CREDENTIALS.servicePassword,
      username: FAKE_CREDENTIALS.username,
      password: FAKE_CREDENTIALS.password,
    }),
  });
}

async function login(base = root): Promise<string> {
  const response = await passwordGrant(base);
  expect(response.status).toBe(200);
  return ((await response.json()) as { access_token: string }).access_token;
}

function call(token: string, path: string, init: { method?: string; json?: unknown; base?: string } = {}) {
  return fetch(`${init.base ?? root}/${path}`, {
    method: init.method ?? (init.json === undefined ? 'GET' : 'POST'),
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    ...(init.json === undefined ? {} : { body: JSON.stringify(init.json) }),
  });
}

const employee = (code: string, extra: Record<string, unknown> = {}) => ({
  Code: code,
  Sei: '山田',
  Mei: '太郎',
  SeiKana: 'ﾔﾏﾀﾞ',
  MeiKana: 'ﾀﾛｳ',
  Sex: 1,
  BirthDate: 19900401,
  NyusyaDate: 20200401,
  TaisyokuDate: 0,
  ...extra,
});
const create = (token: string, records: unknown[]) =>
  call(token, 'Create/MasterSyain?Element=Array', {
    json: { ArrayOfBEMasterSyain: { BEMasterSyain: records } },
  });

async function selected(area: string): Promise<string> {
  const token = await login();
  expect((await call(token, PCA.paths.selectDataArea, { json: { DataArea: area } })).status).toBe(200);
  return token;
}

describe('PCA fake: sessions', () => {
  it('lists yearly data areas of several companies with PCA-style names', async () => {
    const token = await login();
    const response = await call(token, PCA.paths.findDataArea, { method: 'POST', json: {} });
    const body = (await response.json()) as {
      ArrayOfBECommonDataArea: { BECommonDataArea: { Name: string; CompanyCode: string }[] };
    };
    const areas = body.ArrayOfBECommonDataArea.BECommonDataArea;
    expect(areas.map((area) => area.Name)).toEqual([
      'P20V01C081KYU0001',
      'P20V01C081KYU0002',
      'P20V01C082KYU0001',
    ]);
    expect(new Set(areas.map((area) => area.CompanyCode)).size).toBe(2);
  });

  it('refuses a business call before SelectDataArea, and binds the token after it', async () => {
    const token = await login();
    const before = await call(token, 'Find/MasterSyain?Limit=10');
    expect(before.status).toBe(400);
    expect(((await before.json()) as { Code: string }).Code).toBe(PCA.codes.dataAreaNotSelected);
    expect((await call(token, PCA.paths.getLogOnDataArea)).status).toBe(400);

    await call(token, PCA.paths.selectDataArea, { json: { DataArea: AREA_2026 } });
    const logOn = (await (await call(token, PCA.paths.getLogOnDataArea)).json()) as {
      BECommonDataArea: { Name: string };
    };
    expect(logOn.BECommonDataArea.Name).toBe(AREA_2026);
    expect((await call(token, 'Find/MasterSyain?Limit=10')).status).toBe(200);
  });

  it('refuses an unknown data area', async () => {
    const token = await login();
    const response = await call(token, PCA.paths.selectDataArea, { json: { DataArea: 'P20V01C999KYU0001' } });
    expect(response.status).toBe(404);
  });

  it('holds a licence until Logout and refuses the login beyond the limit', async () => {
    const first = await login();
    await login();
    expect(fake.activeLicences()).toBe(2);
    const refused = await passwordGrant();
    expect(refused.status).toBe(PCA.status.licence);
    expect(((await refused.json()) as { Message: string }).Message).toContain('同時接続数の上限');

    expect((await call(first, PCA.paths.logout, { method: 'POST', json: {} })).status).toBe(200);
    expect(fake.activeLicences()).toBe(1);
    expect((await call(first, PCA.paths.findDataArea, { method: 'POST', json: {} })).status).toBe(401);
    await login();
  });

  it('expires the access token on its clock and accepts a refresh, keeping the area', async () => {
    const response = await passwordGrant();
    const tokens = (await response.json()) as { access_token: string; refresh_token: string };
    await call(tokens.access_token, PCA.paths.selectDataArea, { json: { DataArea: AREA_2026 } });
    await clock.advance(PCA.accessTokenTtlMs);
    const expired = await call(tokens.access_token, 'Find/MasterSyain?Limit=10');
    expect(expired.status).toBe(401);
    expect(((await expired.json()) as { Code: string }).Code).toBe(PCA.codes.tokenExpired);

    const refreshed = await fetch(`${root}/${PCA.paths.token}`, {
      method: 'POST',
      body: new URLSearchParams({
        grant_type: 'refresh_token',
        refresh_token: tokens.refresh_token,
        client_id: FAKE_CREDENTIALS.clientId,
        client_secret: FAKE_CREDENTIALS.clientSecret,
      }),
    });
    const next = (await refreshed.json()) as { access_token: string };
    expect((await call(next.access_token, 'Find/MasterSyain?Limit=10')).status).toBe(200);
    expect(fake.activeLicences()).toBe(1);
  });
});

describe('PCA fake: employees', () => {
  it('validates each record and commits the good ones of a batch', async () => {
    const token = await selected(OTHER_COMPANY);
    const response = await create(token, [
      employee('1'),
      employee('2', { BirthDate: 19901340 }),
      employee('3', { Sex: 3 }),
      employee('4', { Sei: '' }),
      employee('5', { BumonCode: '999' }),
      employee('E-1'),
      employee('6', { SeiKana: 'ヤマダ' }),
      employee('A0012'),
      employee('ABCDEFGHIJ123'),
      employee('8', { Sei: '寿限無寿限無五劫の擦り切' }),
    ]);
    expect(response.status).toBe(200);
    const body = (await response.json()) as {
      ArrayOfBEResultOfMasterSyain: {
        BEResultOfMasterSyain: { Status: string; ErrorMessage: string | null }[];
      };
    };
    const results = body.ArrayOfBEResultOfMasterSyain.BEResultOfMasterSyain;
    expect(results.map((result) => result.Status)).toEqual([
      'Success',
      ...Array(6).fill('Failure'),
      'Success',
      'Success',
      'Failure',
    ]);
    expect(results[1]?.ErrorMessage).toContain('生年月日');
    expect(results[4]?.ErrorMessage).toContain('部門マスタ');
    expect(results[5]?.ErrorMessage).toContain('半角英数カナ');
    expect(results[6]?.ErrorMessage).toContain('半角カナ');
    expect(results[9]?.ErrorMessage).toContain('全角10文字');
    expect([...fake.rawRecords(OTHER_COMPANY).keys()].sort()).toEqual(['1', 'A0012', 'ABCDEFGHIJ123']);
  });

  it('refuses more than 10 records in one call', async () => {
    const token = await selected(OTHER_COMPANY);
    const response = await create(
      token,
      Array.from({ length: 11 }, (_, i) => employee(String(i + 1))),
    );
    expect(response.status).toBe(400);
    expect(fake.rawRecords(OTHER_COMPANY).size).toBe(0);
  });

  it('０詰め per the company: 123 and 00123 are one employee there, two elsewhere; 13 characters at most', async () => {
    const padded = await selected(AREA_2026);
    expect((await create(padded, [employee('123')])).status).toBe(200);
    expect([...fake.rawRecords(AREA_2026).keys()]).toEqual(['000123']);
    const again = (await (await create(padded, [employee('0123')])).json()) as {
      ArrayOfBEResultOfMasterSyain: { BEResultOfMasterSyain: { Status: string; ErrorMessage: string }[] };
    };
    expect(again.ArrayOfBEResultOfMasterSyain.BEResultOfMasterSyain[0]?.ErrorMessage).toContain('既に登録');
    const tooLong = (await (await create(padded, [employee('1234567')])).json()) as {
      ArrayOfBEResultOfMasterSyain: { BEResultOfMasterSyain: { ErrorMessage: string }[] };
    };
    expect(tooLong.ArrayOfBEResultOfMasterSyain.BEResultOfMasterSyain[0]?.ErrorMessage).toContain('6桁以内');

    const plain = await selected(OTHER_COMPANY);
    await create(plain, [employee('123'), employee('00123')]);
    expect([...fake.rawRecords(OTHER_COMPANY).keys()].sort()).toEqual(['00123', '123']);
    const fourteen = (await (await create(plain, [employee('ABCDEFGHIJ1234')])).json()) as {
      ArrayOfBEResultOfMasterSyain: { BEResultOfMasterSyain: { ErrorMessage: string }[] };
    };
    expect(fourteen.ArrayOfBEResultOfMasterSyain.BEResultOfMasterSyain[0]?.ErrorMessage).toContain(
      '13桁以内',
    );
  });

  it('modifies only the fields sent and checks BEVersion', async () => {
    const token = await selected(OTHER_COMPANY);
    await create(token, [employee('7', { MailAddress: 'old@example.jp' })]);
    const modify = (record: unknown) =>
      call(token, 'Modify/MasterSyain?Element=Array', {
        json: { ArrayOfBEMasterSyain: { BEMasterSyain: [record] } },
      });
    await modify({ Code: '7', BEVersion: 1, TelNo: '03-1234-5678' });
    const stored = fake.rawRecords(OTHER_COMPANY).get('7') as Record<string, unknown>;
    expect(stored).toMatchObject({ TelNo: '03-1234-5678', MailAddress: 'old@example.jp', BEVersion: 2 });
    const stale = (await (await modify({ Code: '7', BEVersion: 1, TelNo: '0' })).json()) as {
      ArrayOfBEResultOfMasterSyain: { BEResultOfMasterSyain: { Status: string }[] };
    };
    expect(stale.ArrayOfBEResultOfMasterSyain.BEResultOfMasterSyain[0]?.Status).toBe('Failure');
  });

  it('refuses a modify without BEVersion: a lost update could not be detected', async () => {
    const token = await selected(OTHER_COMPANY);
    await create(token, [employee('7')]);
    const bulk = (await (
      await call(token, 'Modify/MasterSyain?Element=Array', {
        json: { ArrayOfBEMasterSyain: { BEMasterSyain: [{ Code: '7', TelNo: '03-1234-5678' }] } },
      })
    ).json()) as {
      ArrayOfBEResultOfMasterSyain: { BEResultOfMasterSyain: { Status: string; ErrorMessage: string }[] };
    };
    expect(bulk.ArrayOfBEResultOfMasterSyain.BEResultOfMasterSyain).toEqual([
      expect.objectContaining({
        Status: 'Failure',
        Code: '7',
        ErrorMessage: expect.stringContaining('BEVersion'),
      }),
    ]);
    const single = await call(token, 'Modify/MasterSyain', {
      json: { BEMasterSyain: { Code: '7', TelNo: '03-1234-5678' } },
    });
    expect(single.status).toBe(400);
    expect(await single.json()).toEqual({
      Code: PCA.codes.invalidRequest,
      Message: expect.stringContaining('BEVersion'),
    });
    expect(fake.rawRecords(OTHER_COMPANY).get('7')).toMatchObject({ BEVersion: 1 });
    expect(fake.rawRecords(OTHER_COMPANY).get('7')).not.toHaveProperty('TelNo');
  });

  it('refuses a second bank account in 給与 and keeps three in hyper', async () => {
    const bank = (suffix: string) => ({
      [`GinkoCode${suffix}`]: '0001',
      [`SitenCode${suffix}`]: '001',
      [`YokinSyumoku${suffix}`]: 1,
      [`KozaNo${suffix}`]: '1234567',
      [`KozaMeigi${suffix}`]: 'ﾔﾏﾀﾞ ﾀﾛｳ',
    });
    const token = await selected(OTHER_COMPANY);
    const refused = (await (await create(token, [employee('8', { ...bank(''), ...bank('2') })])).json()) as {
      ArrayOfBEResultOfMasterSyain: { BEResultOfMasterSyain: { ErrorMessage: string }[] };
    };
    expect(refused.ArrayOfBEResultOfMasterSyain.BEResultOfMasterSyain[0]?.ErrorMessage).toContain(
      'GinkoCode2',
    );

    const hyperRoot = productRoot('east02', HYPER.productCode);
    const hyperToken = await login(hyperRoot);
    await call(hyperToken, PCA.paths.selectDataArea, {
      base: hyperRoot,
      json: { DataArea: hyper.dataAreas()[0] },
    });
    const accepted = await call(hyperToken, 'Create/MasterSyain?Element=Array', {
      base: hyperRoot,
      json: {
        ArrayOfBEMasterSyain: {
          BEMasterSyain: [employee('8', { ...bank(''), ...bank('2'), ...bank('3'), SyainKubun: '2' })],
        },
      },
    });
    expect(accepted.status).toBe(200);
    expect(hyper.records(hyper.dataAreas()[0] as string)[0]?.bankAccounts).toHaveLength(3);
  });

  it('pages through a snapshot that writes do not move', async () => {
    const token = await selected(OTHER_COMPANY);
    for (let batch = 0; batch < 3; batch++) {
      await create(
        token,
        Array.from({ length: 10 }, (_, i) => employee(String(100 + batch * 10 + i))),
      );
    }
    const first = await call(token, 'Find/MasterSyain?Limit=20');
    const snapshot = first.headers.get(PCA.paging.snapshotHeader) as string;
    expect(first.headers.get(PCA.paging.totalHeader)).toBe('30');
    await create(token, [employee('99')]);
    const second = await call(token, `Find/MasterSyain?SnapshotId=${snapshot}&Offset=20&Limit=20`);
    const page = (await second.json()) as { ArrayOfBEMasterSyain: { BEMasterSyain: unknown[] } };
    expect(page.ArrayOfBEMasterSyain.BEMasterSyain).toHaveLength(10);
    const fresh = await call(token, 'Find/MasterSyain?Limit=200');
    expect(fresh.headers.get(PCA.paging.totalHeader)).toBe('31');
    expect((await call(token, 'Find/MasterSyain?Limit=201')).status).toBe(400);
  });

  it('answers an empty list as an empty envelope', async () => {
    const token = await selected(OTHER_COMPANY);
    expect(await (await call(token, 'Find/MasterSyain?Limit=10')).json()).toEqual({
      ArrayOfBEMasterSyain: {},
    });
  });
});

describe('PCA fake: limits and faults', () => {
  it('refuses requests over 60 reads a minute with 429 and counts them', async () => {
    const token = await selected(OTHER_COMPANY);
    const statuses: number[] = [];
    for (let i = 0; i < 61; i++) statuses.push((await call(token, 'Find/MasterSyain?Limit=10')).status);
    expect(statuses.filter((status) => status === 429)).toHaveLength(2);
    expect(fake.overLimitCount).toBe(2);
    await clock.advance(60_000);
    expect((await call(token, 'Find/MasterSyain?Limit=10')).status).toBe(200);
  });

  it('commits a write whose answer is lost (timeout_after_commit)', async () => {
    const token = await selected(OTHER_COMPANY);
    fake.faults.inject({ kind: 'timeout_after_commit', scope: 'write' });
    await expect(create(token, [employee('42')])).rejects.toThrow();
    expect(fake.rawRecords(OTHER_COMPANY).has('42')).toBe(true);
  });

  it('answers an injected expired token with WEBSV600100', async () => {
    const token = await selected(OTHER_COMPANY);
    fake.faults.inject({ kind: 'expired_token', scope: 'read' });
    const response = await call(token, 'Find/MasterSyain?Limit=10');
    expect(response.status).toBe(401);
    expect(((await response.json()) as { Code: string }).Code).toBe('WEBSV600100');
  });

  it('records written fields as canonical keys', async () => {
    const token = await selected(OTHER_COMPANY);
    await create(token, [employee('5', { TelNo: '03-0000-0000' })]);
    expect([...fake.writtenFields()].sort()).toEqual(
      [
        'birthDate',
        'firstName',
        'firstNameKana',
        'gender',
        'hireDate',
        'lastName',
        'lastNameKana',
        'phone',
        'retireDate',
      ].sort(),
    );
  });
});

describe('PCA fake: seeding', () => {
  it('seeds canonical employees in the area form and an unreadable record on request', () => {
    fake.seed(AREA_2026, [{ employeeCode: '42', lastName: '高橋', firstName: '健', gender: 'male' }]);
    fake.seedInvalid(AREA_2026, '43');
    expect([...fake.rawRecords(AREA_2026).keys()]).toEqual(['000042', '000043']);
    expect(fake.records(AREA_2026)).toEqual([
      { employeeCode: '000042', lastName: '高橋', firstName: '健', gender: 'male', status: 'employed' },
    ]);
    expect(() => fake.seed(AREA_2026, [{ employeeCode: 'E-001', lastName: '高橋' }])).toThrow('半角英数');
  });
});

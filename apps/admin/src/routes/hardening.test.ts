import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { connect } from 'node:net';
import { serve } from '@hono/node-server';
import { createVirtualClock, type Employee } from '@renkei/core';
import { createHub, type Hub } from '@renkei/hub';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { API_BASE } from '../api/api.ts';
import { createApp } from '../app.ts';
import { IMPORT_PATH } from '../http/limits.ts';
import { SESSION_COOKIE } from '../http/session.ts';
import { clientFor, finishedImport, ORIGIN, postLogin } from '../testing/client.ts';
import { type AppFixture, createAppFixture } from '../testing/fixture.ts';

let fx: AppFixture;
/** An employee of the demo holding 住所, 生年月日 and a bank account. */
let full: Employee;
beforeAll(async () => {
  fx = await createAppFixture({ worker: false });
  const page = await fx.hub.employees.list({ pageSize: 500 });
  const found = page.items.find(
    ({ employee }) => employee.address && employee.birthDate && employee.bankAccounts?.length,
  );
  if (!found) throw new Error('an employee with address, birth date and bank account expected');
  full = found.employee;
}, 300_000);
afterAll(async () => {
  await fx?.close();
});

/** A body that trickles out: `chunks` of `size` bytes, one every `everyMs` — seconds to send in all. */
function slowBody(chunks: number, size: number, everyMs: number) {
  let pulls = 0;
  const stream = new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        pulls += 1;
        if (pulls > chunks) return controller.close();
        await new Promise((resolve) => setTimeout(resolve, everyMs));
        controller.enqueue(new Uint8Array(size).fill(0x61));
      },
    },
    { highWaterMark: 0 },
  );
  return { stream, pulls: () => pulls };
}

async function timed(request: Response | Promise<Response>) {
  const start = performance.now();
  const response = await request;
  return { response, ms: performance.now() - start };
}

describe('body limit', () => {
  it('refuses a declared oversized sign-in body with 413 without reading any of it', async () => {
    // 50 × 1 MB at 200 ms each: ten seconds to send.
    const body = slowBody(50, 1024 * 1024, 200);
    const { response, ms } = await timed(
      fx.app.request('/login', {
        method: 'POST',
        headers: {
          origin: ORIGIN,
          'content-type': 'application/x-www-form-urlencoded',
          'content-length': String(50 * 1024 * 1024),
        },
        body: body.stream,
        duplex: 'half',
      } as RequestInit),
    );
    expect(response.status).toBe(413);
    expect(await response.text()).toContain('送信データが大きすぎます');
    expect(body.pulls()).toBe(0);
    expect(ms).toBeLessThan(5_000);
  });

  it('stops reading a chunked body as soon as it passes the limit', async () => {
    const body = slowBody(50, 64 * 1024, 200);
    const { response, ms } = await timed(
      fx.app.request('/login', {
        method: 'POST',
        headers: { origin: ORIGIN, 'content-type': 'application/x-www-form-urlencoded' },
        body: body.stream,
        duplex: 'half',
      } as RequestInit),
    );
    expect(response.status).toBe(413);
    expect(body.pulls()).toBeLessThanOrEqual(2);
    expect(ms).toBeLessThan(5_000);
  });

  it('refuses an oversized webhook body with a JSON 413 in Japanese (kind kept), before reading it', async () => {
    const webhook = (path: string, body: ReadableStream<Uint8Array>, declared?: number) =>
      timed(
        fx.app.request(path, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            authorization: 'Bearer rk_trg_x',
            ...(declared === undefined ? {} : { 'content-length': String(declared) }),
          },
          body,
          duplex: 'half',
        } as RequestInit),
      );
    const expected = { error: { kind: 'payload_too_large', message: '本文は 64 KB までです。' } };
    for (const path of ['/webhooks/sync', '/webhooks/smarthr/00000000-0000-4000-8000-000000000000']) {
      // 50 × 1 MB at 200 ms each: ten seconds to send, refused on its Content-Length unread.
      const declared = slowBody(50, 1024 * 1024, 200);
      const { response, ms } = await webhook(path, declared.stream, 50 * 1024 * 1024);
      expect(response.status, path).toBe(413);
      expect(response.headers.get('content-type'), path).toMatch(/^application\/json/);
      expect(await response.json(), path).toEqual(expected);
      expect(declared.pulls(), path).toBe(0);
      expect(ms, path).toBeLessThan(5_000);
    }
    // Chunked, 16 KB every 200 ms (ten seconds in all): stopped once past 64 KB.
    const chunked = slowBody(50, 16 * 1024, 200);
    const { response, ms } = await webhook('/webhooks/sync', chunked.stream);
    expect(response.status).toBe(413);
    expect(await response.json()).toEqual(expected);
    expect(chunked.pulls()).toBeLessThanOrEqual(6);
    expect(ms).toBeLessThan(5_000);
  });

  it('limits forms of signed-in users and the CSV upload (configurable) on their own', async () => {
    const big = await fx.admin.post(`/employees/${full.employeeCode}`, { lastName: 'x'.repeat(300 * 1024) });
    expect(big.status).toBe(413);
    const small = createApp({ hub: fx.hub, connectors: [], maxImportBytes: 4 * 1024 });
    const admin = clientFor(small, (await fx.hub.auth.login('admin@example.jp', 'renkei-demo-admin')).token);
    const upload = new FormData();
    upload.set('file', new File([`社員番号\r\n${'Z-1\r\n'.repeat(2_000)}`], 'big.csv'));
    upload.set('encoding', 'utf-8');
    const response = await admin.postMultipart('/employees/import', upload);
    expect(response.status).toBe(413);
    expect(await response.text()).toContain('4 KB');
    expect(await fx.hub.employees.get('Z-1')).toBeNull();
  });
  it('gives the large CSV limit to signed-in admins only: anyone else gets the form limit', async () => {
    const upload = () => {
      const form = new FormData();
      form.set('file', new File([`社員番号\r\n${'Z-2\r\n'.repeat(60_000)}`], 'big.csv'));
      form.set('encoding', 'utf-8');
      return form;
    };
    const anonymous = await fx.app.request(IMPORT_PATH, {
      method: 'POST',
      headers: { origin: ORIGIN },
      body: upload(),
    });
    expect(anonymous.status).toBe(413);
    expect(await anonymous.text()).toContain('256 KB');
    const member = clientFor(
      fx.app,
      (await fx.hub.auth.login('member@example.jp', 'renkei-demo-member')).token,
    );
    const asMember = await member.postMultipart(IMPORT_PATH, upload());
    expect(asMember.status).toBe(413);
    expect(await fx.hub.employees.get('Z-2')).toBeNull();
  });
});

describe('malformed bodies', () => {
  it('answer 400, anonymous or signed in, and log nothing', async () => {
    const logged = vi.spyOn(console, 'error').mockImplementation(() => {});
    try {
      const garbage = {
        method: 'POST',
        headers: { origin: ORIGIN, 'content-type': 'multipart/form-data; boundary=zzz' },
        body: '--zzz\r\nContent-Disposition: form-data; name="a"\r\n\r\nno end',
      };
      const anonymous = await fx.app.request('/login', garbage);
      expect(anonymous.status).toBe(400);
      expect(await anonymous.text()).toContain('送信内容を読み取れませんでした');
      const signedIn = await fx.app.request(`/employees/${full.employeeCode}`, {
        ...garbage,
        headers: { ...garbage.headers, cookie: `${SESSION_COOKIE}=${await adminToken()}` },
      });
      expect(signedIn.status).toBe(400);
      const noBoundary = await fx.app.request('/login', {
        ...garbage,
        headers: { origin: ORIGIN, 'content-type': 'multipart/form-data' },
      });
      expect(noBoundary.status).toBe(400);
      expect(logged).not.toHaveBeenCalled();
    } finally {
      logged.mockRestore();
    }
  });
});

describe('a body the client stops sending mid-way', () => {
  it('is a 400 with nothing logged as an error, over real HTTP, on forms, the API and webhooks', async () => {
    const lines: { level: string; message: string; data?: Record<string, unknown> }[] = [];
    const record = (level: string) => (message: string, data?: Record<string, unknown>) =>
      lines.push({ level, message, ...(data ? { data } : {}) });
    const logger = { debug() {}, info: record('info'), warn: record('warn'), error: record('error') };
    const app = createApp({ hub: fx.hub, connectors: [], logger });
    const server = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: 0 });
    await once(server, 'listening');
    const { port } = server.address() as AddressInfo;
    /** Sends the head and a first piece of the body, then goes away. */
    async function abandon(path: string, framing: 'chunked' | 'declared') {
      const socket = connect(port, '127.0.0.1');
      await once(socket, 'connect');
      const length = framing === 'chunked' ? 'Transfer-Encoding: chunked' : 'Content-Length: 1000';
      const piece = framing === 'chunked' ? '6\r\n{"a":1\r\n' : '{"a":1';
      socket.write(
        `POST ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nOrigin: http://127.0.0.1:${port}\r\n` +
          `Content-Type: application/x-www-form-urlencoded\r\nAuthorization: Bearer rk_x\r\n${length}\r\n\r\n${piece}`,
      );
      // The server has the head (it is answering the request) before the sender goes away.
      await once(server, 'request');
      socket.destroy();
      for (let i = 0; i < 200 && !lines.some((line) => line.data?.path === path); i++) {
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    }
    try {
      const cases = [
        ['/login', 'chunked'],
        ['/employees/import', 'chunked'],
        [`${API_BASE}/previews`, 'chunked'],
        ['/webhooks/sync', 'chunked'],
        ['/webhooks/sync', 'declared'],
      ] as const;
      const answered: string[] = [];
      for (const [path, framing] of cases) {
        lines.length = 0;
        await abandon(path, framing);
        const request = lines.find((line) => line.message === 'request' && line.data?.path === path);
        answered.push(`${path} ${framing} ${String(request?.data?.status)}`);
        expect(lines.filter((line) => line.level === 'error')).toEqual([]);
      }
      expect(answered).toEqual(cases.map(([path, framing]) => `${path} ${framing} 400`));
    } finally {
      server.close();
    }
  });
});

async function adminToken(): Promise<string> {
  return (await fx.hub.auth.login('admin@example.jp', 'renkei-demo-admin')).token;
}

describe('invalid UTF-8 in a form field', () => {
  it('is a field error and is never stored', async () => {
    const before = (await fx.hub.employees.get(full.employeeCode))?.employee;
    const token = await adminToken();
    const client = clientFor(fx.app, token);
    const response = await fx.app.request(`/employees/${full.employeeCode}`, {
      method: 'POST',
      headers: {
        origin: ORIGIN,
        cookie: `${SESSION_COOKIE}=${token}`,
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: `_csrf=${client.csrfToken}&lastName=%E0%A4%A&firstName=${encodeURIComponent('花子')}`,
    });
    expect(response.status).toBe(400);
    const page = await response.text();
    expect(page).toMatch(/data-error-for="lastName"[^>]*>文字化けしている文字があります/);
    expect(page).toContain('aria-invalid="true"');
    expect((await fx.hub.employees.get(full.employeeCode))?.employee).toEqual(before);
  });

  it('in a multipart field is refused too', async () => {
    const token = await adminToken();
    const part = (name: string, value: string | Uint8Array) => [
      Buffer.from(`--renkei-test-boundary\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n`),
      Buffer.from(value),
      Buffer.from('\r\n'),
    ];
    // 山田 in Shift_JIS: not UTF-8.
    const body = Buffer.concat([
      ...part('_csrf', clientFor(fx.app, token).csrfToken),
      ...part('lastName', new Uint8Array([0x8e, 0x52, 0x93, 0x63])),
      Buffer.from('--renkei-test-boundary--\r\n'),
    ]);
    const response = await fx.app.request(`/employees/${full.employeeCode}`, {
      method: 'POST',
      headers: {
        origin: ORIGIN,
        cookie: `${SESSION_COOKIE}=${token}`,
        'content-type': 'multipart/form-data; boundary=renkei-test-boundary',
      },
      body,
    });
    expect(response.status).toBe(400);
    expect(await response.text()).toContain('文字化けしている文字があります');
    expect((await fx.hub.employees.get(full.employeeCode))?.employee.lastName).toBe(full.lastName);
  });
});

describe('a control character in an employee field', () => {
  const MESSAGE = '姓に使えない文字（制御文字 U+0000）が含まれています。';

  it('is a field error of the form, and nothing is stored', async () => {
    const before = (await fx.hub.employees.get(full.employeeCode))?.employee;
    const response = await fx.admin.post(`/employees/${full.employeeCode}`, {
      lastName: '山\u0000田',
      firstName: '花子',
    });
    expect(response.status).toBe(400);
    const page = await response.text();
    expect(page).toContain(`data-error-for="lastName">${MESSAGE}</span>`);
    expect(page).toContain(`<a href="#f-lastName">${MESSAGE}</a>`);
    expect((await fx.hub.employees.get(full.employeeCode))?.employee).toEqual(before);
  });

  it('is refused by the API upsert (422 with the field), create or replace, and nothing is stored', async () => {
    const admin = (await fx.hub.users.list()).find((user) => user.role === 'admin');
    const { token } = await fx.hub.apiTokens.create(admin?.id ?? '', {
      userId: admin?.id ?? '',
      name: 'control characters',
      scope: 'sync',
    });
    const before = (await fx.hub.employees.get(full.employeeCode))?.employee;
    for (const code of [full.employeeCode, 'CTRL-1']) {
      const response = await fx.app.request(`${API_BASE}/employees/${encodeURIComponent(code)}`, {
        method: 'PUT',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ lastName: '山\u0000田', firstName: '花子' }),
      });
      expect(response.status, code).toBe(422);
      expect(await response.json(), code).toMatchObject({
        error: { kind: 'validation', issues: [{ field: 'lastName', message: MESSAGE }] },
      });
    }
    expect((await fx.hub.employees.get(full.employeeCode))?.employee).toEqual(before);
    expect(await fx.hub.employees.get('CTRL-1')).toBeNull();
  });
});

describe('invalid UTF-8 in the fields of a schedule or a trigger token', () => {
  it('is refused, not saved with the default in its place', async () => {
    const connectionId = await fx.connectionId('jobcan');
    const token = await adminToken();
    const csrf = clientFor(fx.app, token).csrfToken;
    const post = (path: string, body: string) =>
      fx.app.request(path, {
        method: 'POST',
        headers: {
          origin: ORIGIN,
          cookie: `${SESSION_COOKIE}=${token}`,
          'content-type': 'application/x-www-form-urlencoded',
        },
        body: `_csrf=${csrf}&${body}`,
      });
    const { automation } = fx.hub;
    const schedulesBefore = await automation.schedules.list(connectionId);
    const schedule = await post(
      `/connections/${connectionId}/schedules/import`,
      'preset=daily&hour=%FF&minute=%E0%A4%A&maxChangePercent=5&enabled=1',
    );
    expect(schedule.status).toBe(400);
    expect(await schedule.text()).toContain('文字化けしている文字があります');
    expect(await automation.schedules.list(connectionId)).toEqual(schedulesBefore);

    const tokensBefore = await automation.tokens.list(connectionId);
    const trigger = await post(`/connections/${connectionId}/tokens`, 'name=%FF%FE&direction=import');
    expect(trigger.status).toBe(400);
    expect(await trigger.text()).toContain('文字化けしている文字があります');
    expect(await automation.tokens.list(connectionId)).toEqual(tokensBefore);
  });
});

describe('Cache-Control', () => {
  it('is no-store on every page of a signed-in user, the CSV export and error pages', async () => {
    for (const path of [
      '/employees',
      `/employees/${full.employeeCode}`,
      '/employees/export.csv',
      '/nowhere',
    ]) {
      const response = await fx.admin.get(path);
      expect(response.headers.get('cache-control'), path).toBe('no-store');
    }
    expect((await fx.member.get('/employees/export.csv')).headers.get('cache-control')).toBe('no-store');
  });
});

describe('signing in again', () => {
  it('ends the session the browser held', async () => {
    const old = await adminToken();
    const client = clientFor(fx.app, old);
    const again = await fx.app.request('/login', {
      method: 'POST',
      headers: {
        origin: ORIGIN,
        cookie: `${SESSION_COOKIE}=${old}`,
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: new URLSearchParams({
        _csrf: client.csrfToken,
        email: 'admin@example.jp',
        password: 'renkei-demo-admin',
      }).toString(),
    });
    expect(again.status).toBe(302);
    expect(again.headers.getSetCookie().some((line) => line.startsWith(`${SESSION_COOKIE}=`))).toBe(true);
    expect((await clientFor(fx.app, old).get('/employees')).status).toBe(302);
  });
});

describe('CSV import in the background', () => {
  it('shows the first 100 errors with their lines and offers the whole report as CSV', async () => {
    // A blank line after the header: the first row is line 3.
    const rows = Array.from({ length: 150 }, (_, i) => `BG-${i},山田,太郎,1990-02-30`);
    const upload = new FormData();
    upload.set('file', new File([`社員番号,姓,名,生年月日\r\n\r\n${rows.join('\r\n')}\r\n`], 'bad.csv'));
    const started = await fx.admin.postMultipart('/employees/import', upload);
    expect(started.status).toBe(303);
    const location = started.headers.get('location') ?? '';
    expect(location).toMatch(/^\/employees\/import\/[0-9a-f-]{36}$/);
    const done = await finishedImport(fx.admin, location);
    expect(done.status).toBe(422);
    const page = await done.text();
    expect(page).toContain('エラー 150 件（最初の 100 件を表示）');
    expect(page.match(/<td class="num">/g)).toHaveLength(100);
    expect(page).toContain('<td class="num">3</td>');
    expect(page).not.toContain('<td class="num">103</td>');
    const report = await fx.admin.get(`${location}/errors.csv`);
    expect(report.status).toBe(200);
    expect(report.headers.get('content-type')).toContain('text/csv');
    const lines = (await report.text())
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\r\n');
    expect(lines).toHaveLength(151);
    expect(lines[0]).toBe('行,項目,エラー');
    expect(lines[1]).toMatch(/^3,生年月日,/);
    expect(lines[150]).toMatch(/^152,生年月日,/);
    expect(await fx.hub.employees.get('BG-0')).toBeNull();
    expect((await fx.member.get(location)).status).toBe(403);
  });
});

describe('members (閲覧のみ)', () => {
  it('see 給与振込口座 masked and no 住所 or 生年月日; admins see everything', async () => {
    const path = `/employees/${encodeURIComponent(full.employeeCode)}`;
    const account = full.bankAccounts?.[0];
    if (!account || !full.address || !full.birthDate) throw new Error('fixture');
    const member = await (await fx.member.get(path)).text();
    expect(member).not.toContain('data-field="address"');
    expect(member).not.toContain('data-field="birthDate"');
    expect(member).not.toContain(full.address.city);
    expect(member).not.toContain(account.accountNumber);
    expect(member).not.toContain(account.holderKana);
    expect(member).toContain(`****${account.accountNumber.slice(-4)}`);
    expect(member).toContain(account.bankCode);
    const admin = await (await fx.admin.get(path)).text();
    expect(admin).toContain('data-field="address"');
    expect(admin).toContain('data-field="birthDate"');
    expect(admin).toContain(account.accountNumber);
  });

  it('cannot download the 従業員リスト, and are not offered it', async () => {
    for (const encoding of ['utf-8', 'shift_jis']) {
      const response = await fx.member.get(`/employees/export.csv?encoding=${encoding}`);
      expect(response.status).toBe(403);
      expect(response.headers.get('content-type')).toContain('text/html');
    }
    expect(await (await fx.member.get('/employees')).text()).not.toContain('/employees/export.csv');
    expect((await fx.admin.get('/employees/export.csv')).status).toBe(200);
    const member = (await fx.hub.users.list()).find((user) => user.role === 'member');
    await expect(fx.hub.employees.exportCsv(member?.id ?? '')).rejects.toMatchObject({ kind: 'forbidden' });
  });
});

describe('sign-in throttling (fake clock)', () => {
  const clock = createVirtualClock(Date.UTC(2026, 3, 1, 0, 0, 0), { autoAdvance: false });
  let hub: Hub;
  let app: ReturnType<typeof createApp>;
  beforeAll(async () => {
    hub = await createHub({ inMemory: true, connectors: [], clock, worker: false });
    await hub.users.bootstrap({
      email: 'admin@example.jp',
      name: '管理者',
      password: 'correct horse battery',
    });
    app = createApp({ hub, connectors: [], trustProxy: true });
  }, 300_000);
  afterAll(async () => {
    await hub?.close();
  });

  const signIn = async (email: string, password: string, client: string) => {
    const { response } = await postLogin(
      app,
      { email, password },
      { headers: { 'x-forwarded-for': client } },
    );
    return { status: response.status, text: await response.text() };
  };

  it('slows, then locks an account with the unlock time shown — the same for an unknown one', async () => {
    for (const email of ['admin@example.jp', 'ghost@example.jp']) {
      const answers = [];
      for (let i = 0; i < 4; i++) answers.push(await signIn(email, 'wrong password', `192.0.2.${i}`));
      expect(answers.map((a) => a.status)).toEqual([401, 401, 401, 429]);
      // 2026-04-01 00:00:00 UTC + 1 s is 09:00:01 in Tokyo.
      expect(answers[3]?.text).toContain('4/1 09:00:01 以降にもう一度お試しください');
    }
    const right = await signIn('admin@example.jp', 'correct horse battery', '192.0.2.9');
    expect(right.status).toBe(429);
    for (let failures = 4; failures <= 10; failures++) {
      await clock.advance(2 ** (failures - 4) * 1_000);
      expect((await signIn('admin@example.jp', 'wrong password', '192.0.2.7')).status).toBe(401);
    }
    const locked = await signIn('admin@example.jp', 'correct horse battery', '192.0.2.8');
    expect(locked.status).toBe(429);
    expect(locked.text).toContain('一時的にログインできなくなっています');
    await clock.advance(15 * 60_000);
    expect((await signIn('admin@example.jp', 'correct horse battery', '192.0.2.8')).status).toBe(302);
  });

  it('throttles one client address across accounts', async () => {
    const statuses = [];
    for (let i = 0; i < 11; i++)
      statuses.push((await signIn(`u${i}@example.jp`, 'x', '198.51.100.1')).status);
    expect(statuses.slice(0, 10)).toEqual(Array(10).fill(401));
    expect(statuses[10]).toBe(429);
  });
});

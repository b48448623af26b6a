// /api/v1 with each kind of token: every route with read, sync, a member's read token, a revoked,
// an expired and no token; JSON errors; the OpenAPI document.
import SwaggerParser from '@apidevtools/swagger-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_USERS } from '../demo/seed.ts';
import { type AppFixture, createAppFixture } from '../testing/fixture.ts';
import { API_ROUTES } from './api.ts';

let t: AppFixture;
const tokens = {} as Record<'read' | 'sync' | 'member' | 'revoked' | 'expired', string>;
let connectionId: string;
let connectionName: string;
let adminId: string;

beforeAll(async () => {
  // No worker: runs stay queued, so cancel and "still running" can be seen.
  t = await createAppFixture({ worker: false });
  const users = await t.hub.users.list();
  adminId = users.find((user) => user.email === DEMO_USERS.admin.email)?.id as string;
  const memberId = users.find((user) => user.email === DEMO_USERS.member.email)?.id as string;
  const issue = async (userId: string, scope: 'read' | 'sync', expiresAt?: Date) =>
    t.hub.apiTokens.create(adminId, { userId, name: 'test', scope, ...(expiresAt ? { expiresAt } : {}) });
  tokens.read = (await issue(adminId, 'read')).token;
  tokens.sync = (await issue(adminId, 'sync')).token;
  tokens.member = (await issue(memberId, 'read')).token;
  const revoked = await issue(adminId, 'sync');
  await t.hub.apiTokens.revoke(adminId, revoked.info.id);
  tokens.revoked = revoked.token;
  tokens.expired = (await issue(adminId, 'sync', new Date(Date.now() + 1_000))).token;
  await new Promise((resolve) => setTimeout(resolve, 1_100));
  connectionId = await t.connectionId('jobcan');
  connectionName = (await t.hub.connections.get(connectionId))?.displayName as string;
});
afterAll(() => t.close());

async function call(method: string, path: string, token?: string, body?: unknown, raw?: string) {
  const headers: Record<string, string> = {};
  if (token) headers.authorization = `Bearer ${token}`;
  const sends = method !== 'GET' && (body !== undefined || raw !== undefined);
  if (sends) headers['content-type'] = 'application/json';
  const response = await t.app.request(`/api/v1${path}`, {
    method,
    headers,
    ...(!sends ? {} : raw !== undefined ? { body: raw } : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : undefined };
}

const A_UUID = '00000000-0000-4000-8000-000000000000';
const concrete = (path: string) => path.replace('{id}', A_UUID).replace('{code}', 'E1');

describe('/api/v1 authentication and scopes', () => {
  it('answers 401 with a JSON error for no, an unknown, a revoked and an expired token, on every route', async () => {
    for (const route of API_ROUTES) {
      for (const token of [undefined, 'rk_unknown', 'garbage', tokens.revoked, tokens.expired]) {
        const response = await call(route.method.toUpperCase(), concrete(route.path), token, {});
        expect(response.status, `${route.method} ${route.path} ${token}`).toBe(401);
        expect(response.body.error.kind).toBe('unauthorized');
        expect(response.headers.get('www-authenticate')).toContain('Bearer');
      }
    }
  });

  it('refuses every changing route to a read token with 403 scope', async () => {
    for (const route of API_ROUTES.filter((r) => r.method !== 'get')) {
      const response = await call(route.method.toUpperCase(), concrete(route.path), tokens.read, {});
      expect(response.status, `${route.method} ${route.path}`).toBe(403);
      expect(response.body.error.kind).toBe('scope');
    }
  });
});

describe('/api/v1 routes', () => {
  let previewId: string;
  let runId: string;

  it('connections: list and get (read), 404 for an unknown one', async () => {
    const list = await call('GET', '/connections', tokens.read);
    expect(list.status).toBe(200);
    expect(list.body.items.map((c: { id: string }) => c.id)).toContain(connectionId);
    expect(JSON.stringify(list.body)).not.toMatch(/password|apiKey|secret/i);
    const one = await call('GET', `/connections/${connectionId}`, tokens.read);
    expect(one.body).toMatchObject({ id: connectionId, connectorId: 'jobcan' });
    expect((await call('GET', `/connections/${A_UUID}`, tokens.read)).status).toBe(404);
    expect((await call('GET', '/connections/not-a-uuid', tokens.read)).status).toBe(400);
  });

  it('previews: create with the wizard defaults (sync), get and page entries (read); members are refused', async () => {
    const created = await call('POST', '/previews', tokens.sync, {
      connection: connectionName,
      direction: 'export',
    });
    expect(created.status).toBe(201);
    expect(created.body.employmentFilter.basisDate).toBe(t.hub.today());
    previewId = created.body.id;
    expect((await call('GET', `/previews/${previewId}`, tokens.read)).body.id).toBe(previewId);
    const page = await call('GET', `/previews/${previewId}/entries?page=1&pageSize=2`, tokens.read);
    expect(page.status).toBe(200);
    expect(page.body.items).toHaveLength(2);
    expect(page.body.pageSize).toBe(2);
    const total = Object.entries(created.body.summary as Record<string, number>)
      .filter(([key]) => key !== 'targetOnly')
      .reduce((sum, [, n]) => sum + n, 0);
    expect(page.body.total).toBe(total);
    const member = await call('GET', `/previews/${previewId}`, tokens.member);
    expect(member.status).toBe(403);
    expect((await call('GET', `/previews/${previewId}/entries?pageSize=9999`, tokens.read)).status).toBe(400);
    const bad = await call('POST', '/previews', tokens.sync, {
      connection: connectionName,
      direction: 'sideways',
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error.issues[0].field).toBe('direction');
    const unknown = await call('POST', '/previews', tokens.sync, { connection: 'なし', direction: 'import' });
    expect(unknown.status).toBe(404);
  });

  it('runs: start (a 別人の可能性 needs its confirmation), status, items, a spent preview refused, cancel, retry', async () => {
    const mismatch = (
      await call('GET', `/previews/${previewId}/entries?status=identity_mismatch`, tokens.read)
    ).body.items[0]?.employeeCode as string | undefined;
    expect(mismatch).toBeDefined();
    const refused = await call('POST', '/runs', tokens.sync, { previewId, selection: { codes: [mismatch] } });
    expect(refused.status).toBe(422);
    expect(refused.body.error.message).toContain('別人の可能性');
    const started = await call('POST', '/runs', tokens.sync, { previewId });
    expect(started.status).toBe(201);
    expect(started.body).toMatchObject({ previewId, status: 'queued' });
    runId = started.body.id;
    const again = await call('POST', '/runs', tokens.sync, { previewId });
    expect(again.status).toBe(409);
    expect(again.body.error.kind).toBe('conflict');
    expect((await call('GET', `/runs/${runId}`, tokens.read)).body.id).toBe(runId);
    expect((await call('GET', `/runs/${runId}`, tokens.member)).status).toBe(200);
    const items = await call('GET', `/runs/${runId}/items?pageSize=1`, tokens.read);
    expect(items.body).toMatchObject({ pageSize: 1, total: started.body.total });
    expect((await call('POST', `/runs/${runId}/retry`, tokens.sync)).status).toBe(409);
    const cancelled = await call('POST', `/runs/${runId}/cancel`, tokens.sync);
    expect(cancelled.status).toBe(200);
    expect(cancelled.body.cancelRequestedAt).not.toBeNull();
    expect((await call('GET', `/runs/${A_UUID}`, tokens.read)).status).toBe(404);
  });

  it('employees: page and read (members masked), upsert with the HR master’s validation', async () => {
    const admin = await call('GET', '/employees?pageSize=500', tokens.read);
    expect(admin.status).toBe(200);
    const withAccount = admin.body.items.find(
      (record: { employee: { bankAccounts?: unknown[]; address?: unknown } }) =>
        record.employee.bankAccounts?.length && record.employee.address,
    );
    expect(withAccount).toBeDefined();
    const code = withAccount.employee.employeeCode as string;
    const member = await call('GET', `/employees/${encodeURIComponent(code)}`, tokens.member);
    expect(member.status).toBe(200);
    expect(member.body.employee.address).toBeUndefined();
    expect(member.body.employee.birthDate).toBeUndefined();
    expect(member.body.employee.bankAccounts[0].accountNumber).toMatch(/^\*{4}\d{1,4}$/);
    // As on the pages: the bank and the last four digits, neither the branch nor the holder's name.
    const full = withAccount.employee.bankAccounts[0];
    expect(member.body.employee.bankAccounts[0]).toEqual({
      bankCode: full.bankCode,
      branchCode: '',
      accountType: full.accountType,
      accountNumber: `****${full.accountNumber.slice(-4)}`,
      holderKana: '',
    });
    const listed = await call('GET', `/employees?search=${encodeURIComponent(code)}`, tokens.member);
    expect(JSON.stringify(listed.body)).not.toContain(full.holderKana);
    expect(member.body.employee.lastName).toBe(withAccount.employee.lastName);

    const created = await call('PUT', '/employees/API-1', tokens.sync, {
      lastName: '山田',
      firstName: '花子',
      hireDate: '2026/4/1',
    });
    expect(created.status).toBe(201);
    expect(created.body.employee).toMatchObject({
      employeeCode: 'API-1',
      lastName: '山田',
      hireDate: '2026-04-01',
    });
    const replaced = await call('PUT', '/employees/API-1', tokens.sync, { lastName: '佐藤' });
    expect(replaced.status).toBe(200);
    expect(replaced.body.employee).toEqual({ employeeCode: 'API-1', lastName: '佐藤' });
    const invalid = await call('PUT', '/employees/API-1', tokens.sync, { birthDate: 'いつか' });
    expect(invalid.status).toBe(422);
    expect(invalid.body.error.issues[0].field).toBe('birthDate');
    const unknownField = await call('PUT', '/employees/API-1', tokens.sync, { salary: 1 });
    expect(unknownField.status).toBe(400);
    expect((await call('GET', '/employees/NOBODY', tokens.read)).status).toBe(404);
    expect((await call('PUT', '/employees/API-2', tokens.member, { lastName: 'x' })).status).toBe(403);
  });

  it('audits every change made with a token', async () => {
    const entries = (await t.hub.audit.list(1000)).filter((entry) => entry.action === 'api.request');
    expect(entries.map((entry) => entry.details.path)).toEqual(
      expect.arrayContaining([
        '/api/v1/previews',
        '/api/v1/runs',
        `/api/v1/runs/${runId}/cancel`,
        '/api/v1/employees/API-1',
      ]),
    );
    expect(entries.every((entry) => entry.actor.startsWith('token:'))).toBe(true);
  });
});

describe('/api/v1 errors and limits', () => {
  it('malformed JSON is 400, an oversize body 413, an unknown route 404 — all JSON', async () => {
    const malformed = await call('POST', '/previews', tokens.sync, undefined, '{"connection":');
    expect(malformed.status).toBe(400);
    expect(malformed.body.error.kind).toBe('bad_request');
    const huge = await call(
      'PUT',
      '/employees/BIG',
      tokens.sync,
      undefined,
      JSON.stringify({ lastName: 'x'.repeat(300_000) }),
    );
    expect(huge.status).toBe(413);
    expect(huge.body.error.kind).toBe('too_large');
    const missing = await call('GET', '/nothing-here', tokens.read);
    expect(missing.status).toBe(404);
    expect(missing.body.error.kind).toBe('not_found');
  });
});

describe('/api/v1/openapi.json', () => {
  it('is a valid OpenAPI 3.1 document, served without a token, listing every route', async () => {
    const response = await call('GET', '/openapi.json');
    expect(response.status).toBe(200);
    const document = response.body;
    expect(document.openapi).toBe('3.1.0');
    await SwaggerParser.validate(structuredClone(document));
    for (const route of API_ROUTES) {
      expect(document.paths[route.path]?.[route.method], `${route.method} ${route.path}`).toBeDefined();
      expect(document.paths[route.path][route.method].security).toEqual([{ bearerAuth: [] }]);
    }
    expect(Object.keys(document.paths)).toHaveLength(new Set(API_ROUTES.map((r) => r.path)).size);
    expect(document.components.schemas).toHaveProperty('PlanEntry');
    expect(document.components.schemas).toHaveProperty('EmployeeInput');
  });
});

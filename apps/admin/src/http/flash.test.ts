import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import type { AppDeps, AppEnv } from './env.ts';
import { setFlash, takeFlash } from './flash.ts';

const app = new Hono<AppEnv>()
  .use(async (c, next) => {
    c.set('deps', {} as AppDeps);
    await next();
  })
  .post('/set', (c) => {
    setFlash(c, { kind: 'error', message: c.req.query('message') ?? '' });
    return c.body(null, 204);
  })
  .get('/take', (c) => c.json(takeFlash(c) ?? null));

async function roundTrip(message: string) {
  const set = await app.request(`/set?${new URLSearchParams({ message })}`, { method: 'POST' });
  const cookie = (set.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
  return { cookie, flash: await (await app.request('/take', { headers: { cookie } })).json() };
}

describe('flash', () => {
  it('carries a message to the next page once', async () => {
    const { flash } = await roundTrip('社員番号 E1 を保存しました。');
    expect(flash).toEqual({ kind: 'error', message: '社員番号 E1 を保存しました。' });
  });

  it('shortens a long message instead of losing it to the cookie limit', async () => {
    const message = `連携できない社員番号があります: ${Array.from({ length: 400 }, (_, i) => `社員${i}`).join('、')}`;
    const { cookie, flash } = await roundTrip(message);
    expect(cookie.length).toBeLessThan(4096);
    // Cut after a whole item of the list, never inside one.
    expect(flash.message).toMatch(/^連携できない社員番号があります: 社員0、社員1、.*、社員\d+…$/);
    expect(flash.message.length).toBeLessThanOrEqual(300);
  });

  it('never cuts a character in half', async () => {
    const { flash } = await roundTrip('𠮷'.repeat(400));
    expect(flash.message).toBe(`${'𠮷'.repeat(149)}…`);
  });
});

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { signatureHeader, verifySignature } from './signature.ts';
import { webhookUrlProblem } from './url-policy.ts';

const secret = 'whsec_test';
const body = '{"event":"run.finished"}';

describe('webhook signature', () => {
  it('verifies its own header and refuses a changed body, another secret, an old time or garbage', () => {
    const header = signatureHeader(secret, body, 1_800_000_000);
    expect(header).toMatch(/^t=1800000000,v1=[0-9a-f]{64}$/);
    expect(verifySignature(secret, body, header, 1_800_000_010)).toEqual({ ok: true });
    expect(verifySignature(secret, `${body} `, header, 1_800_000_010)).toEqual({
      ok: false,
      kind: 'mismatch',
    });
    expect(verifySignature('whsec_other', body, header, 1_800_000_010)).toEqual({
      ok: false,
      kind: 'mismatch',
    });
    expect(verifySignature(secret, body, header, 1_800_000_301)).toEqual({ ok: false, kind: 'too_old' });
    expect(verifySignature(secret, body, 'v1=abc', 1_800_000_000)).toEqual({ ok: false, kind: 'malformed' });
  });
});

describe('webhook URL policy', () => {
  it('takes https, refuses http, loopback (unless allowed), credentials and nonsense', () => {
    const strict = { allowLoopback: false };
    expect(webhookUrlProblem('https://hooks.example.jp/renkei', strict)).toBeNull();
    expect(webhookUrlProblem('http://hooks.example.jp/renkei', strict)).toContain('https');
    expect(webhookUrlProblem('http://127.0.0.1:9999/', strict)).toContain('ループバック');
    expect(webhookUrlProblem('https://localhost/', strict)).toContain('ループバック');
    expect(webhookUrlProblem('https://u:p@hooks.example.jp/', strict)).toContain('認証情報');
    expect(webhookUrlProblem('ftp://hooks.example.jp/', strict)).toContain('https');
    expect(webhookUrlProblem('not a url', strict)).toContain('形式');
    const tests = { allowLoopback: true };
    expect(webhookUrlProblem('http://127.0.0.1:9999/hook', tests)).toBeNull();
    expect(webhookUrlProblem('http://[::1]:9999/hook', tests)).toBeNull();
    expect(webhookUrlProblem('http://hooks.example.jp/', tests)).toContain('https');
  });
});

describe('the README’s verification snippet', () => {
  it('accepts what the hub signs and refuses a changed body or an old signature', async () => {
    const readme = readFileSync(new URL('../../../../README.md', import.meta.url), 'utf8');
    const snippet = /```js\n(import \{ createHmac[\s\S]*?)```/.exec(readme)?.[1];
    expect(snippet).toBeDefined();
    const module = await import(`data:text/javascript,${encodeURIComponent(snippet as string)}`);
    const verifyRenkei = module.verifyRenkei as (s: string, b: string, h: string) => boolean;
    const now = Math.floor(Date.now() / 1000);
    expect(verifyRenkei(secret, body, signatureHeader(secret, body, now))).toBe(true);
    expect(verifyRenkei(secret, `${body}x`, signatureHeader(secret, body, now))).toBe(false);
    expect(verifyRenkei(secret, body, signatureHeader(secret, body, now - 600))).toBe(false);
    expect(verifyRenkei('whsec_other', body, signatureHeader(secret, body, now))).toBe(false);
  });
});

import { describe, expect, it } from 'vitest';
import { isLoopbackHost, overridingFetch, parseVendorOverrides } from './vendor-urls.ts';

describe('the vendor base-URL override', () => {
  it('accepts only loopback targets', () => {
    for (const host of ['127.0.0.1', '127.8.9.10', 'localhost', '[::1]', '::1'])
      expect(isLoopbackHost(host)).toBe(true);
    for (const host of ['10.0.0.1', '128.0.0.1', 'localhost.example.jp', '0.0.0.0', '[::]', 'example.jp']) {
      expect(isLoopbackHost(host), host).toBe(false);
    }
    expect(parseVendorOverrides('https://a.example=http://[::1]:9').ok).toBe(true);
    expect(parseVendorOverrides('https://a.example=http://127.0.0.1.nip.io:9').ok).toBe(false);
  });

  it('rewrites a matching origin to the base URL, keeping the path and query behind its prefix', async () => {
    const parsed = parseVendorOverrides(
      'https://east02.pcawebapi.jp=http://127.0.0.1:41001/pca,https://api-kintai.jobcan.jp=http://127.0.0.1:41002',
    );
    if (!parsed.ok) throw new Error(parsed.message);
    const seen: string[] = [];
    const fetch = overridingFetch(parsed.overrides, async (input) => {
      seen.push(input instanceof Request ? `${input.method} ${input.url}` : String(input));
      return new Response('ok');
    });
    await fetch('https://east02.pcawebapi.jp/v1/Kyu20/Login?x=1');
    await fetch(new URL('https://api-kintai.jobcan.jp/openapi/v1/employees'));
    await fetch(new Request('https://api-kintai.jobcan.jp/x', { method: 'POST', body: 'a' }));
    // Another origin (even the same host on another scheme or port) goes out untouched.
    await fetch('https://east01.pcawebapi.jp/v1/Kyu20/Login');
    await fetch('http://east02.pcawebapi.jp/v1');
    expect(seen).toEqual([
      'http://127.0.0.1:41001/pca/v1/Kyu20/Login?x=1',
      'http://127.0.0.1:41002/openapi/v1/employees',
      'POST http://127.0.0.1:41002/x',
      'https://east01.pcawebapi.jp/v1/Kyu20/Login',
      'http://east02.pcawebapi.jp/v1',
    ]);
  });
});

// RENKEI_VENDOR_BASE_URLS (tests only): points the connectors at vendor fakes served over real HTTP on
// loopback, e.g. `https://east02.pcawebapi.jp=http://127.0.0.1:41001`. Never for production: the
// targets must be loopback addresses, and the override is logged as a warning at start.
import { isIP } from 'node:net';

export interface VendorOverride {
  /** The vendor's origin, e.g. `https://api-kintai.jobcan.jp`. */
  origin: string;
  /** What replaces it, with any path prefix and no trailing slash, e.g. `http://127.0.0.1:41002/jobcan`. */
  baseUrl: string;
}

export type OverrideParse = { ok: true; overrides: VendorOverride[] } | { ok: false; message: string };

/** 127.0.0.0/8, ::1 and localhost: the only hosts a test override may point at. */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  if (host === 'localhost' || host === '::1') return true;
  return isIP(host) === 4 && host.startsWith('127.');
}

const fail = (ja: string, en: string): OverrideParse => ({ ok: false, message: `${ja} / ${en}` });

export function parseVendorOverrides(value: string): OverrideParse {
  const overrides: VendorOverride[] = [];
  const pairs = value
    .split(',')
    .map((pair) => pair.trim())
    .filter(Boolean);
  if (pairs.length === 0) return fail('値が空です。', 'no pairs given.');
  for (const pair of pairs) {
    const [from, to, ...rest] = pair.split('=');
    if (from === undefined || to === undefined || rest.length > 0) {
      return fail(
        `「<連携先のオリジン>=<ループバックのURL>」の形で指定してください（${pair}）。`,
        `each pair must read <vendor origin>=<loopback base URL> (${pair}).`,
      );
    }
    const origin = URL.parse(from);
    if (!origin || !/^https?:$/.test(origin.protocol) || origin.href !== `${origin.origin}/`) {
      return fail(
        `連携先はオリジン（https://ホスト名）で指定してください（${from}）。`,
        `the vendor side must be an origin such as https://host (${from}).`,
      );
    }
    const base = URL.parse(to);
    if (!base || !/^https?:$/.test(base.protocol) || base.search || base.hash) {
      return fail(`置き換え先の URL が正しくありません（${to}）。`, `not a base URL (${to}).`);
    }
    if (!isLoopbackHost(base.hostname)) {
      return fail(
        `置き換え先はループバックアドレス（127.0.0.1、::1、localhost）に限られます（${to}）。本番では使えません。`,
        `targets must be loopback addresses (127.0.0.0/8, ::1, localhost) (${to}); not for production.`,
      );
    }
    overrides.push({ origin: origin.origin, baseUrl: `${base.origin}${base.pathname.replace(/\/+$/, '')}` });
  }
  return { ok: true, overrides };
}

/**
 * A fetch that sends requests for an overridden vendor origin to its loopback base URL (path and
 * query kept, behind the base URL's own path); everything else goes out unchanged.
 */
export function overridingFetch(
  overrides: readonly VendorOverride[],
  inner: typeof globalThis.fetch = (input, init) => globalThis.fetch(input, init),
): typeof globalThis.fetch {
  if (overrides.length === 0) return inner;
  const byOrigin = new Map(overrides.map((override) => [override.origin, override.baseUrl]));
  return (input, init) => {
    const request = input instanceof Request ? input : undefined;
    const url = new URL(input instanceof Request ? input.url : input);
    const baseUrl = byOrigin.get(url.origin);
    if (baseUrl === undefined) return inner(input, init);
    const target = `${baseUrl}${url.pathname}${url.search}`;
    return inner(request ? new Request(target, request) : target, init);
  };
}

import type { Hono } from 'hono';
import { sessionCsrfToken } from '../http/csrf.ts';
import type { AppEnv } from '../http/env.ts';
import { SESSION_COOKIE } from '../http/session.ts';

export const ORIGIN = 'http://localhost';

export type FormInput = Record<string, string | readonly string[]>;

export interface TestClient {
  /** `init` carries what a browser's request would, such as the signal of a client that leaves. */
  get(path: string, init?: Omit<RequestInit, 'headers'>): Promise<Response>;
  /** A same-origin form post carrying the session's CSRF token (unless `_csrf` is given). */
  post(path: string, form?: FormInput, headers?: Record<string, string>): Promise<Response>;
  postMultipart(path: string, form: FormData): Promise<Response>;
  readonly csrfToken: string;
}

function encode(form: FormInput): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(form)) {
    for (const item of typeof value === 'string' ? [value] : value) params.append(key, item);
  }
  return params.toString();
}

/** Keeps cookies between requests like a browser: set, replace, and expire. */
function cookieJar(initial: Record<string, string>) {
  const jar = new Map(Object.entries(initial));
  return {
    header: () => [...jar].map(([name, value]) => `${name}=${value}`).join('; '),
    store(response: Response): Response {
      for (const line of response.headers.getSetCookie()) {
        const [pair = '', ...attributes] = line.split(';');
        const index = pair.indexOf('=');
        const name = pair.slice(0, index).trim();
        const expired = attributes.some((attribute) => /^\s*max-age=0\s*$/i.test(attribute));
        if (expired) jar.delete(name);
        else jar.set(name, pair.slice(index + 1));
      }
      return response;
    },
  };
}

/** Drives the app in-process like a browser holding one session would. */
export function clientFor(app: Hono<AppEnv>, sessionToken: string | undefined): TestClient {
  const jar = cookieJar(sessionToken ? { [SESSION_COOKIE]: sessionToken } : {});
  const csrfToken = sessionToken ? sessionCsrfToken(sessionToken) : '';
  const request = async (path: string, init: RequestInit & { headers?: Record<string, string> } = {}) =>
    jar.store(await app.request(path, { ...init, headers: { cookie: jar.header(), ...init.headers } }));
  return {
    csrfToken,
    get: (path, init) => request(path, init),
    post: (path, form = {}, headers = {}) =>
      request(path, {
        method: 'POST',
        headers: { origin: ORIGIN, 'content-type': 'application/x-www-form-urlencoded', ...headers },
        body: encode({ _csrf: csrfToken, ...form }),
      }),
    postMultipart: (path, form) => {
      if (!form.has('_csrf')) form.set('_csrf', csrfToken);
      return request(path, { method: 'POST', headers: { origin: ORIGIN }, body: form });
    },
  };
}

/**
 * Submits the sign-in form as a browser does: the form page first (its CSRF cookie and token), then
 * the post from the page's origin. `query` goes on the page's URL (`next`).
 */
export async function postLogin(
  app: Hono<AppEnv>,
  form: FormInput,
  options: { url?: string; query?: Record<string, string>; headers?: Record<string, string> } = {},
): Promise<{ page: Response; response: Response }> {
  const url = options.url ?? `${ORIGIN}/login`;
  const query = options.query ? `?${new URLSearchParams(options.query)}` : '';
  const page = await app.request(`${url}${query}`, { headers: options.headers ?? {} });
  const token = /renkei_login_csrf=([^;]+)/.exec(page.headers.get('set-cookie') ?? '')?.[1] ?? '';
  const response = await app.request(url, {
    method: 'POST',
    headers: {
      ...options.headers,
      cookie: `renkei_login_csrf=${token}`,
      origin: new URL(url).origin,
      'content-type': 'application/x-www-form-urlencoded',
    },
    body: encode({ _csrf: token, ...form }),
  });
  return { page, response };
}

/** Signs in through the real login form and returns a client holding the session cookie. */
export async function signIn(app: Hono<AppEnv>, email: string, password: string): Promise<TestClient> {
  const { response } = await postLogin(app, { email, password });
  const session = response.headers
    .getSetCookie()
    .find((line) => line.startsWith(`${SESSION_COOKIE}=`))
    ?.split(';')[0]
    ?.split('=')[1];
  if (response.status !== 302 || !session) throw new Error(`sign-in failed for ${email}: ${response.status}`);
  return clientFor(app, session);
}

/** The page of a background CSV import once it has finished (it reloads itself while running). */
export async function finishedImport(client: TestClient, location: string): Promise<Response> {
  for (let attempt = 0; attempt < 600; attempt++) {
    const response = await client.get(location);
    const text = await response.clone().text();
    if (!text.includes('data-import-progress')) return response;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`import at ${location} did not finish`);
}

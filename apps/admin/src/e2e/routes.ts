import type { Hono } from 'hono';
import { API_BASE, API_ROUTES } from '../api/api.ts';
import type { AppEnv } from '../http/env.ts';

/**
 * GET routes that answer with something other than a page: each is named with why it needs no
 * accessibility check. Every other GET route is a page and must have one.
 */
export const NOT_PAGES: Readonly<Record<string, string>> = {
  '/': 'redirects to /connections',
  '/static/:file': 'CSS, JavaScript and the icon',
  '/healthz': 'plain-text health check',
  '/readyz': 'JSON readiness check',
  '/employees/export.csv': 'a CSV download',
  '/employees/import/:id/errors.csv': "a CSV download of an import's errors",
  '/runs/:id/events': 'the server-sent progress stream',
  '/employees/import/:id/events': 'the server-sent progress stream of a CSV import',
  [`${API_BASE}/openapi.json`]: 'the JSON OpenAPI document',
  // The HTTP API answers JSON to tokens, never a page.
  ...Object.fromEntries(
    API_ROUTES.filter((route) => route.method === 'get').map((route) => [
      API_BASE + route.path.replace(/\{(\w+)\}/g, ':$1'),
      'a JSON API route',
    ]),
  ),
};

/** The app's GET routes in the order Hono matches them (middleware left out). */
export function getRoutes(app: Hono<AppEnv>): string[] {
  const paths = app.routes.filter((route) => route.method === 'GET').map((route) => route.path);
  return [...new Set(paths)];
}

/** The app's pages: its GET routes that render HTML. */
export const pageRoutes = (app: Hono<AppEnv>): string[] =>
  getRoutes(app).filter((path) => !Object.hasOwn(NOT_PAGES, path));

const patternOf = (route: string): RegExp =>
  new RegExp(
    `^${route
      .replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
      .replace(/\\\*$/, '.*')
      .replace(/:\w+/g, '[^/]+')}$`,
  );

/** The route a path is served by: the first that matches, as Hono picks it. */
export function routeOf(routes: readonly string[], pathname: string): string | undefined {
  return routes.find((route) => patternOf(route).test(pathname));
}

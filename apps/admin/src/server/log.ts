// JSON lines on stdout/stderr: one object per event, a request id on every request's line.
import type { Logger } from '@renkei/core';
import type { MiddlewareHandler } from 'hono';
import { requestId } from 'hono/request-id';
import type { AppEnv } from '../http/env.ts';

export type LogLine = (stream: 'out' | 'err', line: string) => void;

const toConsole: LogLine = (stream, line) => {
  (stream === 'err' ? process.stderr : process.stdout).write(`${line}\n`);
};

/** A logger that writes one JSON object per line (time, level, message, data). */
export function jsonLogger(write: LogLine = toConsole): Logger {
  const emit = (level: string, message: string, data?: Record<string, unknown>) =>
    write(
      level === 'error' || level === 'warn' ? 'err' : 'out',
      JSON.stringify({ time: new Date().toISOString(), level, message, ...data }),
    );
  return {
    debug() {},
    info: (message, data) => emit('info', message, data),
    warn: (message, data) => emit('warn', message, data),
    error: (message, data) => emit('error', message, data),
  };
}

/**
 * Gives every request an id (hono's requestId: a sane incoming `X-Request-Id` is kept, else a new
 * one; echoed in the response) and logs the request's line when it is answered. Paths only: a query
 * string may carry a set-up token or search terms.
 */
export function requestLog(logger: Logger): MiddlewareHandler<AppEnv>[] {
  return [
    requestId(),
    async (c, next) => {
      const started = performance.now();
      await next();
      logger.info('request', {
        requestId: c.get('requestId'),
        method: c.req.method,
        path: c.req.path,
        status: c.res.status,
        ms: Math.round(performance.now() - started),
      });
    },
  ];
}

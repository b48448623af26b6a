import { DrizzleQueryError } from 'drizzle-orm';

/**
 * `error`, or in place of a failed statement an error without its data: drizzle's message lists every
 * bound value (names, birth dates, bank accounts of a whole batch), and PostgreSQL's own often quotes
 * one. Users and logs get the SQLSTATE only, which is what an operator looks up.
 */
export function withoutQueryData(error: unknown): unknown {
  if (!(error instanceof DrizzleQueryError)) return error;
  const code = (error.cause as { code?: unknown } | undefined)?.code;
  return new Error(
    typeof code === 'string' ? `データベースエラー（SQLSTATE ${code}）` : 'データベースエラー',
  );
}

import { DrizzleQueryError } from 'drizzle-orm';

/**
 * A failed statement, said without its parameters: drizzle's message lists every bound value (names,
 * birth dates, bank accounts of a whole batch), and PostgreSQL's own often quotes one. Users and
 * logs get the SQLSTATE only, which is what an operator looks up.
 */
export function describeDatabaseError(error: unknown): string | undefined {
  if (!(error instanceof DrizzleQueryError)) return undefined;
  const code = (error.cause as { code?: unknown } | undefined)?.code;
  return typeof code === 'string' ? `データベースエラー（SQLSTATE ${code}）` : 'データベースエラー';
}

/** `error`, or in place of a failed statement an error that does not carry its data. */
export function withoutQueryData(error: unknown): unknown {
  const described = describeDatabaseError(error);
  return described === undefined ? error : new Error(described);
}

import { z } from 'zod';
import { ConnectorError, type ConnectorErrorKind } from '../errors.ts';

/** What went wrong with one request, in words an HR admin can act on. */
interface StatusReading {
  kind: ConnectorErrorKind;
  summary: string;
}

function readStatus(status: number): StatusReading {
  if (status === 400 || status === 422)
    return {
      kind: 'validation',
      summary: '送信した値が連携先で受け付けられませんでした。値を確認してください。',
    };
  if (status === 401)
    return { kind: 'auth', summary: '連携先の認証に失敗しました。連携設定の認証情報を確認してください。' };
  if (status === 403)
    return {
      kind: 'auth',
      summary: '連携先で操作が許可されていません。APIの利用権限と連携設定を確認してください。',
    };
  if (status === 404)
    return {
      kind: 'not_found',
      summary: '対象が連携先に見つかりませんでした。連携先で削除されていないか確認してください。',
    };
  if (status === 409)
    return {
      kind: 'conflict',
      summary: '連携先の他の更新と競合しました。最新の状態を読み込んでから再実行してください。',
    };
  if (status === 429)
    return {
      kind: 'rate_limited',
      summary: '連携先のAPI利用回数の上限に達しました。しばらく待ってから再実行してください。',
    };
  if (status >= 500)
    return {
      kind: 'transient',
      summary: '連携先のサーバーでエラーが発生しました。時間をおいて再実行してください。',
    };
  return {
    kind: 'protocol',
    summary: '連携先から想定外の応答がありました。連携先の仕様変更がないか確認してください。',
  };
}

const VENDOR_MESSAGE_KEYS = ['message', 'error_description', 'ErrorMessage', 'Message', 'detail', 'error'];
const VENDOR_CODE_KEYS = ['code', 'error', 'ErrorCode', 'errorCode'];
const MAX_DETAIL = 200;

function pickString(body: unknown, keys: readonly string[]): string | undefined {
  if (typeof body !== 'object' || body === null) return undefined;
  const record = body as Record<string, unknown>;
  for (const key of keys) {
    const value = record[key];
    if (typeof value === 'string' && value.trim()) return value.trim();
    if (typeof value === 'number') return String(value);
  }
  return undefined;
}

export interface ExchangeFacts {
  /** `GET /employees`, for messages. */
  label: string;
  /** The request may be resent after reaching the vendor. */
  idempotent: boolean;
}

/**
 * The default reading of a non-2xx answer. A 5xx other than 503 may follow a committed write, so it
 * is ambiguous for a non-idempotent request; 503 and 429 mean the vendor did not act.
 */
export function classifyStatus(
  response: { status: number; body: unknown },
  facts: ExchangeFacts,
): ConnectorError {
  const { kind, summary } = readStatus(response.status);
  const detail = pickString(response.body, VENDOR_MESSAGE_KEYS);
  const vendorCode = pickString(response.body, VENDOR_CODE_KEYS);
  const ambiguous = kind === 'transient' && response.status !== 503 && !facts.idempotent;
  return new ConnectorError(
    kind,
    `${summary}（${facts.label}、HTTP ${response.status}）` +
      (detail ? ` 連携先のメッセージ: ${detail.slice(0, MAX_DETAIL)}` : '') +
      (ambiguous ? ` ${AMBIGUOUS_HINT}` : ''),
    { status: response.status, ambiguous, ...(vendorCode ? { vendorCode } : {}) },
  );
}

const AMBIGUOUS_HINT =
  '連携先で処理が完了している可能性があるため、連携先のデータを確認してから再実行してください。';

/** Said of a 2xx answer that cannot be read (the vendor accepted the request). */
export const MAY_HAVE_BEEN_WRITTEN = '連携先では書き込まれた可能性があります。';

/**
 * A message without its "may have been written" hint: for when a look-up has since settled that
 * nothing was written (the hint would then be wrong).
 */
export function withoutAmbiguityHint(message: string): string {
  return message.replace(` ${AMBIGUOUS_HINT}`, '').replace(MAY_HAVE_BEEN_WRITTEN, '');
}

/** Node's fetch reports these when the connection never opened: the vendor cannot have seen it. */
const NOT_SENT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'UND_ERR_CONNECT_TIMEOUT']);

function errorCode(error: unknown): string | undefined {
  for (let current = error, depth = 0; current && depth < 4; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

/** A request that got no answer: it may have reached the vendor unless the connection never opened. */
export function networkError(error: unknown, facts: ExchangeFacts): ConnectorError {
  const code = errorCode(error);
  const ambiguous = !facts.idempotent && !(code && NOT_SENT_CODES.has(code));
  return new ConnectorError(
    'transient',
    `連携先に接続できませんでした（${facts.label}${code ? `、${code}` : ''}）。ネットワークと連携先の稼働状況を確認してください。` +
      (ambiguous ? ` ${AMBIGUOUS_HINT}` : ''),
    { ambiguous },
  );
}

export function timeoutError(timeoutMs: number, facts: ExchangeFacts): ConnectorError {
  const ambiguous = !facts.idempotent;
  return new ConnectorError(
    'transient',
    `連携先から${timeoutMs / 1000}秒以内に応答がありませんでした（${facts.label}）。時間をおいて再実行してください。` +
      (ambiguous ? ` ${AMBIGUOUS_HINT}` : ''),
    { ambiguous },
  );
}

export function cancelledError(facts: ExchangeFacts): ConnectorError {
  return new ConnectorError('cancelled', `処理が中断されました（${facts.label}）。`);
}

export function notJsonError(status: number, facts: ExchangeFacts): ConnectorError {
  return new ConnectorError(
    'protocol',
    `連携先の応答をJSONとして読み取れませんでした（${facts.label}、HTTP ${status}）。連携先の障害や仕様変更がないか確認してください。`,
    { status },
  );
}

/** `employees[3].id` from a zod issue path. */
export function formatIssuePath(path: readonly PropertyKey[]): string {
  let text = '';
  for (const segment of path) {
    if (typeof segment === 'number') text += `[${segment}]`;
    else text += text ? `.${String(segment)}` : String(segment);
  }
  return text || '(応答全体)';
}

const japaneseIssues = z.locales.ja().localeError;

/** Parses a 2xx body; a mismatch becomes a `protocol` error naming the first offending paths. */
export function parseBody<T>(
  schema: z.ZodType<T>,
  body: unknown,
  status: number,
  facts: ExchangeFacts,
): { ok: true; data: T } | { ok: false; error: ConnectorError } {
  const parsed = schema.safeParse(body, { error: japaneseIssues });
  if (parsed.success) return { ok: true, data: parsed.data };
  const issues = parsed.error.issues;
  const listed = issues
    .slice(0, 3)
    .map((issue) => `${formatIssuePath(issue.path)}: ${issue.message}`)
    .join('; ');
  const more = issues.length > 3 ? ` ほか${issues.length - 3}件` : '';
  return {
    ok: false,
    error: new ConnectorError(
      'protocol',
      `連携先の応答が想定した形式と異なります（${facts.label}、HTTP ${status}）。${listed}${more}。連携先の仕様変更がないか確認してください。`,
      { status },
    ),
  };
}

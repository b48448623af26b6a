import { z } from 'zod';

export const ConnectorErrorKind = z.enum([
  'auth',
  'rate_limited',
  'transient',
  'validation',
  'not_found',
  'conflict',
  'protocol',
  'cancelled',
]);
export type ConnectorErrorKind = z.infer<typeof ConnectorErrorKind>;

/** The serialisable shape of a ConnectorError: what results, runs and notifications store. */
export const ConnectorErrorInfo = z.object({
  kind: ConnectorErrorKind,
  message: z.string(),
  retryable: z.boolean(),
  vendorCode: z.string().optional(),
  status: z.number().optional(),
  /** The request may have been committed by the vendor although no answer arrived. */
  ambiguous: z.boolean().optional(),
  attempts: z.number().optional(),
});
export type ConnectorErrorInfo = z.infer<typeof ConnectorErrorInfo>;

const RETRYABLE_BY_DEFAULT: Record<ConnectorErrorKind, boolean> = {
  auth: false,
  rate_limited: true,
  transient: true,
  validation: false,
  not_found: false,
  conflict: false,
  protocol: false,
  cancelled: false,
};

export interface ConnectorErrorOptions {
  retryable?: boolean;
  vendorCode?: string;
  status?: number;
  ambiguous?: boolean;
  attempts?: number;
  /** Wait the vendor asked for (Retry-After), in ms. */
  retryAfterMs?: number;
  cause?: unknown;
}

/**
 * The one error type connectors raise. `message` is Japanese and actionable for an HR admin, and
 * never contains a secret (the http toolkit redacts).
 */
export class ConnectorError extends Error {
  override readonly name = 'ConnectorError';
  readonly kind: ConnectorErrorKind;
  readonly retryable: boolean;
  readonly vendorCode: string | undefined;
  readonly status: number | undefined;
  readonly ambiguous: boolean;
  readonly attempts: number | undefined;
  readonly retryAfterMs: number | undefined;

  constructor(kind: ConnectorErrorKind, message: string, options: ConnectorErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.kind = kind;
    this.retryable = options.retryable ?? RETRYABLE_BY_DEFAULT[kind];
    this.vendorCode = options.vendorCode;
    this.status = options.status;
    this.ambiguous = options.ambiguous ?? false;
    this.attempts = options.attempts;
    this.retryAfterMs = options.retryAfterMs;
  }

  toJSON(): ConnectorErrorInfo {
    return {
      kind: this.kind,
      message: this.message,
      retryable: this.retryable,
      ...(this.vendorCode === undefined ? {} : { vendorCode: this.vendorCode }),
      ...(this.status === undefined ? {} : { status: this.status }),
      ...(this.ambiguous ? { ambiguous: true } : {}),
      ...(this.attempts === undefined ? {} : { attempts: this.attempts }),
    };
  }
}

export function isConnectorError(value: unknown): value is ConnectorError {
  return value instanceof ConnectorError;
}

/** Anything thrown, as a ConnectorError (unknown errors become `protocol`, not retried). */
export function toConnectorError(error: unknown): ConnectorError {
  if (error instanceof ConnectorError) return error;
  if (error instanceof Error && error.name === 'AbortError') {
    return new ConnectorError('cancelled', '処理が中断されました。', { cause: error });
  }
  const detail = error instanceof Error ? error.message : String(error);
  return new ConnectorError('protocol', `予期しないエラーが発生しました: ${detail}`, { cause: error });
}

// Which endpoint URLs outgoing webhooks may post to: https only; plain http and loopback only where
// the operator allowed loopback receivers (tests, a local relay). Checked when an endpoint is saved
// and again before each delivery.
import { isIP } from 'node:net';

export interface WebhookUrlPolicy {
  /** Allows http://127.0.0.1, ::1 and localhost receivers (tests). Off in production. */
  allowLoopback: boolean;
}

const LOOPBACK_NAMES = new Set(['localhost', '127.0.0.1', '[::1]', '::1']);

function isLoopback(hostname: string): boolean {
  if (LOOPBACK_NAMES.has(hostname)) return true;
  return isIP(hostname) === 4 && hostname.startsWith('127.');
}

/** Why `raw` may not receive webhooks (a Japanese message), or null when it may. */
export function webhookUrlProblem(raw: string, policy: WebhookUrlPolicy): string | null {
  if (raw.length > 2000) return 'URLが長すぎます。';
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return 'URLの形式が正しくありません。';
  }
  if (url.username || url.password) return 'URLに認証情報を含めないでください。';
  const loopback = isLoopback(url.hostname);
  if (loopback && !policy.allowLoopback) return 'ループバックアドレスには送信できません。';
  if (url.protocol === 'https:') return null;
  if (url.protocol === 'http:' && loopback) return null;
  return 'https:// で始まるURLを指定してください。';
}

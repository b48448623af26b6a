import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { HubError } from '../errors.ts';

const KEY_BYTES = 32;

/** Reads a base64 key of 32 bytes; anything else is refused loudly rather than padded. */
export function parseSecretKey(encoded: string): Buffer {
  const key = Buffer.from(encoded.trim(), 'base64');
  if (key.length !== KEY_BYTES) {
    throw new HubError(
      'secret_key',
      `RENKEI_SECRET_KEY は 32 バイトの base64 文字列である必要があります（${key.length} バイトでした）。`,
    );
  }
  return key;
}

/**
 * The credentials key: given, else `RENKEI_SECRET_KEY`, else (embedded default) a key file created
 * with mode 0600 beside the data. A server database without a key is an error: a generated key
 * would differ between processes.
 */
export function resolveSecretKey(options: {
  secretKey?: string | undefined;
  dataDir?: string | undefined;
  inMemory?: boolean | undefined;
}): Buffer {
  const given = options.secretKey ?? process.env.RENKEI_SECRET_KEY;
  if (given) return parseSecretKey(given);
  if (options.dataDir) {
    const file = join(options.dataDir, 'secret.key');
    if (existsSync(file)) return parseSecretKey(readFileSync(file, 'utf8'));
    mkdirSync(options.dataDir, { recursive: true });
    writeFileSync(file, `${randomBytes(KEY_BYTES).toString('base64')}\n`, { mode: 0o600, flag: 'wx' });
    return parseSecretKey(readFileSync(file, 'utf8'));
  }
  if (options.inMemory) return randomBytes(KEY_BYTES);
  throw new HubError('secret_key', 'RENKEI_SECRET_KEY が設定されていません。');
}

import { randomBytes } from 'node:crypto';
import { existsSync, linkSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
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
 * Where the embedded default keeps a generated key: beside the data folder, never inside it, so a
 * copy of the folder (a backup, a support bundle) does not carry the key that opens its credentials.
 * `.data` → `.data.secret.key`.
 */
export function localKeyFile(dataDir: string): string {
  const folder = resolve(dataDir);
  return join(dirname(folder), `${basename(folder)}.secret.key`);
}

function writeNewKeyFile(file: string, content: string): void {
  mkdirSync(dirname(file), { recursive: true });
  // Written whole under a temporary name, then linked: a crash never leaves half a key, and an
  // existing key is never overwritten (link fails if the name exists).
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, content, { mode: 0o600, flag: 'w' });
  try {
    linkSync(temporary, file);
  } finally {
    rmSync(temporary, { force: true });
  }
}

/**
 * The embedded default's key, generated on first use in `localKeyFile(dataDir)`. A key left inside
 * the data folder by an older version is moved out: copied, read back and compared, and only then
 * removed from the folder. Two different keys are refused rather than guessed between.
 */
export function localSecretKey(dataDir: string): { key: Buffer; file: string; moved?: string } {
  const file = localKeyFile(dataDir);
  const legacy = join(dataDir, 'secret.key');
  if (existsSync(legacy)) {
    const legacyText = readFileSync(legacy, 'utf8');
    const legacyKey = parseSecretKey(legacyText);
    if (!existsSync(file)) writeNewKeyFile(file, legacyText);
    const key = parseSecretKey(readFileSync(file, 'utf8'));
    if (!key.equals(legacyKey)) {
      throw new HubError(
        'secret_key',
        `鍵ファイルが2つあり、内容が異なります（${legacy} と ${file}）。認証情報を暗号化した方を残し、もう一方を削除してください。`,
      );
    }
    rmSync(legacy);
    return { key, file, moved: legacy };
  }
  if (!existsSync(file)) writeNewKeyFile(file, `${randomBytes(KEY_BYTES).toString('base64')}\n`);
  return { key: parseSecretKey(readFileSync(file, 'utf8')), file };
}

/**
 * The credentials key: given, else `RENKEI_SECRET_KEY`, else (embedded default) the generated key
 * file beside the data folder. A server database without a key is an error: a generated key would
 * differ between processes.
 */
export function resolveSecretKey(options: {
  secretKey?: string | undefined;
  dataDir?: string | undefined;
  inMemory?: boolean | undefined;
}): Buffer {
  const given = options.secretKey ?? process.env.RENKEI_SECRET_KEY;
  if (given) return parseSecretKey(given);
  if (options.dataDir) return localSecretKey(options.dataDir).key;
  if (options.inMemory) return randomBytes(KEY_BYTES);
  throw new HubError('secret_key', 'RENKEI_SECRET_KEY が設定されていません。');
}

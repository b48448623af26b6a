import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { localKeyFile, localSecretKey } from './key.ts';

const parent = mkdtempSync(join(tmpdir(), 'renkei-key-'));
const dataDir = join(parent, '.data');
afterEach(() => rmSync(parent, { recursive: true, force: true }));

describe('the embedded key file', () => {
  it('is generated beside the data folder, never inside it, readable by its owner only', () => {
    const { key, file } = localSecretKey(dataDir);
    expect(file).toBe(join(parent, '.data.secret.key'));
    expect(key).toHaveLength(32);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(existsSync(join(dataDir, 'secret.key'))).toBe(false);
    expect(localSecretKey(dataDir).key.equals(key)).toBe(true);
  });

  it('moves an older demo key out of the data folder, keeping the same key', () => {
    const legacy = `${randomBytes(32).toString('base64')}\n`;
    mkdirSync(dataDir, { recursive: true });
    writeFileSync(join(dataDir, 'secret.key'), legacy, { mode: 0o600 });
    const result = localSecretKey(dataDir);
    expect(result.moved).toBe(join(dataDir, 'secret.key'));
    expect(result.key.equals(Buffer.from(legacy.trim(), 'base64'))).toBe(true);
    expect(readFileSync(localKeyFile(dataDir), 'utf8')).toBe(legacy);
    expect(existsSync(join(dataDir, 'secret.key'))).toBe(false);
  });

  it('refuses two different keys instead of guessing, and removes nothing', () => {
    mkdirSync(dataDir, { recursive: true });
    writeFileSync(join(dataDir, 'secret.key'), randomBytes(32).toString('base64'));
    writeFileSync(localKeyFile(dataDir), randomBytes(32).toString('base64'));
    expect(() => localSecretKey(dataDir)).toThrow(/鍵ファイルが2つあり/);
    expect(existsSync(join(dataDir, 'secret.key'))).toBe(true);
  });
});

// The demo keeps its credentials key beside its data folder, moves an older in-folder key out, and
// listens on loopback unless told otherwise.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { localKeyFile } from '@renkei/hub';
import { afterAll, describe, expect, it } from 'vitest';
import { type Demo, startDemo } from './demo.ts';

const parent = mkdtempSync(join(tmpdir(), 'renkei-demo-key-'));
const dataDir = join(parent, '.data');
let demo: Demo | undefined;
afterAll(async () => {
  await demo?.close();
  rmSync(parent, { recursive: true, force: true });
});

describe('the demo key', () => {
  it('moves the key an older demo left inside .data beside it, and listens on 127.0.0.1', async () => {
    const legacy = `${randomBytes(32).toString('base64')}\n`;
    mkdirSync(dataDir, { recursive: true });
    writeFileSync(join(dataDir, 'secret.key'), legacy, { mode: 0o600 });
    demo = await startDemo({ dataDir, port: 0 });
    expect(demo.keyFile).toEqual({ file: localKeyFile(dataDir), moved: join(dataDir, 'secret.key') });
    expect(readFileSync(localKeyFile(dataDir), 'utf8')).toBe(legacy);
    expect(existsSync(join(dataDir, 'secret.key'))).toBe(false);
    expect(new URL(demo.url).hostname).toBe('127.0.0.1');
    expect((await fetch(`${demo.url}/healthz`)).status).toBe(200);
  }, 120_000);
});

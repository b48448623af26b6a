import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';

const script = join(import.meta.dirname, 'system-deps.sh');
const folders: string[] = [];
const execPath = (name: string) =>
  spawnSync('/bin/sh', ['-c', `command -v ${name}`], { encoding: 'utf8' }).stdout.trim();
afterEach(() => {
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
});

type Present = 'chromium' | 'fonts' | 'postgresql';

interface Machine {
  present: Present[];
  uid: number;
  /** `sudo -n true` succeeds (sudo without a password); undefined: no sudo at all. */
  sudo?: boolean;
}

/** Runs the set-up script on a stub machine: a file tree for the checks and logging stand-ins for id, sudo and apt-get. */
function runOn(machine: Machine) {
  const dir = mkdtempSync(join(tmpdir(), 'renkei-sysdeps-'));
  folders.push(dir);
  const root = join(dir, 'root');
  const bin = join(dir, 'bin');
  const log = join(dir, 'ran.log');
  mkdirSync(bin, { recursive: true });
  if (machine.present.includes('chromium')) {
    mkdirSync(join(root, 'usr/bin'), { recursive: true });
    writeFileSync(join(root, 'usr/bin/chromium'), '');
    chmodSync(join(root, 'usr/bin/chromium'), 0o755);
  }
  if (machine.present.includes('fonts'))
    mkdirSync(join(root, 'usr/share/fonts/opentype/ipafont-gothic'), { recursive: true });
  if (machine.present.includes('postgresql')) {
    mkdirSync(join(root, 'usr/lib/postgresql/15/bin'), { recursive: true });
    writeFileSync(join(root, 'usr/lib/postgresql/15/bin/initdb'), '');
  }
  const stub = (name: string, body: string) => {
    writeFileSync(join(bin, name), `#!/bin/sh\n${body}\n`);
    chmodSync(join(bin, name), 0o755);
  };
  stub('id', `echo ${machine.uid}`);
  stub('apt-get', `echo "apt-get $*" >> "${log}"`);
  if (machine.sudo !== undefined) {
    stub(
      'sudo',
      machine.sudo
        ? `[ "$1" = -n ] && shift; [ "$1" = true ] && exit 0; echo "sudo $*" >> "${log}"; exec "$@"`
        : 'exit 1',
    );
  }
  // PATH holds only the stubs and cat: no real sudo or apt-get can be reached.
  symlinkSync(execPath('cat'), join(bin, 'cat'));
  const result = spawnSync('/bin/bash', [script], {
    encoding: 'utf8',
    env: { PATH: bin, RENKEI_SYSTEM_ROOT: root },
  });
  let ran: string[] = [];
  try {
    ran = readFileSync(log, 'utf8').trim().split('\n');
  } catch {}
  return { status: result.status, stderr: result.stderr, stdout: result.stdout, ran };
}

describe('system-deps.sh', () => {
  it('runs nothing and prints nothing when every package is there', () => {
    const result = runOn({ present: ['chromium', 'fonts', 'postgresql'], uid: 1000 });
    expect(result).toEqual({ status: 0, stderr: '', stdout: '', ran: [] });
  });

  it('installs exactly the missing packages with apt-get when running as root', () => {
    const result = runOn({ present: ['fonts'], uid: 0 });
    expect(result.status).toBe(0);
    expect(result.ran).toEqual([
      'apt-get update -qq',
      'apt-get install -y -qq --no-install-recommends chromium postgresql',
    ]);
    expect(result.stderr).toContain('installing system packages for the tests: chromium postgresql');
  });

  it('uses sudo when it needs no password', () => {
    const result = runOn({ present: ['chromium', 'postgresql'], uid: 1000, sudo: true });
    expect(result.status).toBe(0);
    expect(result.ran).toEqual([
      'sudo apt-get update -qq',
      'apt-get update -qq',
      'sudo apt-get install -y -qq --no-install-recommends fonts-ipafont-gothic',
      'apt-get install -y -qq --no-install-recommends fonts-ipafont-gothic',
    ]);
  });

  it.each([
    ['sudo asks for a password', true as const],
    ['there is no sudo', false as const],
  ])('stops at once with the command to run when it cannot install (%s)', (_, hasSudo) => {
    const result = runOn({ present: [], uid: 1000, ...(hasSudo ? { sudo: false } : {}) });
    expect(result.status).toBe(1);
    expect(result.ran).toEqual([]);
    expect(result.stderr).toContain('not installed: chromium fonts-ipafont-gothic postgresql');
    expect(result.stderr).toContain(
      'sudo apt-get update && sudo apt-get install -y --no-install-recommends chromium fonts-ipafont-gothic postgresql',
    );
  });
});

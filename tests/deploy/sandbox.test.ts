// The sandbox every compiler and emulator runs in (src/core/deploy/sandbox.node.ts), probed from inside
// with a shell as hostile code would: network, host files, writes outside its folder, resource limits.
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import { handOverToSandbox, SANDBOX_DIR, sandboxCommand, spawnSandboxedSync, type SandboxLimits } from '../../src/core/deploy/sandbox.node';
import { requireTools } from '../firmware/helpers';

const enabled = requireTools('bwrap', 'prlimit');
const LIMITS: SandboxLimits = { cpuSeconds: 5, memoryBytes: 512 * 1024 * 1024, fileBytes: 1024 * 1024, processes: 16 };

describe.runIf(enabled)('compiler and emulator sandbox', () => {
  let dir: string;
  let hostDir: string;
  let server: Server;
  let port = 0;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'mote-sandbox-test-'));
    handOverToSandbox(dir);
    hostDir = mkdtempSync(join(tmpdir(), 'mote-sandbox-host-'));
    writeFileSync(join(hostDir, 'secret.txt'), 'host secret');
    server = createServer((socket) => socket.end('reached the host'));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    port = (server.address() as { port: number }).port;
  });
  afterAll(() => {
    server.close();
    rmSync(dir, { recursive: true, force: true });
    rmSync(hostDir, { recursive: true, force: true });
  });

  const sh = (script: string, limits = LIMITS) => {
    const command = sandboxCommand('sh', ['-c', script], { workDir: dir, limits });
    return spawnSandboxedSync(command);
  };

  it('runs in its own folder, which is writable and is all it sees of the host', () => {
    const r = sh(`pwd; echo made > made.txt; ls /`);
    expect(r.status).toBe(0);
    expect(r.stdout.split('\n')[0]).toBe(SANDBOX_DIR);
    expect(readdirSync(dir)).toContain('made.txt');
    const root = r.stdout.split('\n').slice(1).filter(Boolean);
    for (const hidden of ['home', 'root', 'work', 'srv', 'mnt', 'var', 'opt']) expect(root).not.toContain(hidden);
  });

  it('sees no host file outside its folder: not the home, not /etc/passwd, not another temp folder', () => {
    const r = sh(`cat /etc/passwd; cat ${join(hostDir, 'secret.txt')}; ls ${homedir()}; ls ${tmpdir()}`);
    expect(r.stdout).toBe('');
    expect(r.stderr).not.toContain('host secret');
    expect(r.stderr).toMatch(/No such file/);
  });

  it('cannot write the system, and what it writes outside its folder never reaches the host', () => {
    const name = `mote-was-here-${process.pid}`;
    const r = sh(`touch /usr/${name} 2>&1; echo rc=$?; touch /${name} /tmp/${name} 2>&1`);
    expect(r.stdout).toMatch(/Read-only file system|Permission denied/);
    expect(r.stdout).toMatch(/rc=[1-9]/);
    // The sandbox's / and /tmp are its own (bwrap's root tmpfs, a private tmpfs), gone when it ends.
    for (const path of [`/usr/${name}`, `/${name}`, join(tmpdir(), name)]) expect(existsSync(path)).toBe(false);
  });

  it('has no network: a server on the host loopback is unreachable', () => {
    // bash's /dev/tcp is the simplest client present on every Debian system.
    const command = sandboxCommand('bash', ['-c', `exec 3<>/dev/tcp/127.0.0.1/${port} && cat <&3`], { workDir: dir, limits: LIMITS });
    const r = spawnSandboxedSync(command);
    expect(r.status).not.toBe(0);
    expect(r.stdout).not.toContain('reached the host');
  });

  it('limits the size of a file it writes', () => {
    const r = sh('head -c 4000000 /dev/zero > big.bin; echo rc=$?; wc -c < big.bin');
    expect(r.stdout).toMatch(/rc=[1-9]/);
    expect(Number(r.stdout.trim().split('\n').pop())).toBeLessThanOrEqual(LIMITS.fileBytes);
  });

  it('limits processes: a fork bomb ends without harming the host', () => {
    const r = sh('i=0; while [ $i -lt 64 ]; do sleep 5 & i=$((i+1)); done; echo started', { ...LIMITS, processes: 8 });
    expect(r.stdout + r.stderr).toMatch(/fork|Resource temporarily unavailable|retry/i);
  });

  it('limits CPU time: a spinning process is killed by the kernel', () => {
    const started = Date.now();
    const r = sh('while :; do :; done', { ...LIMITS, cpuSeconds: 1 });
    expect(r.signal ?? r.status).not.toBe(0);
    expect(Date.now() - started).toBeLessThan(25_000);
  });
});

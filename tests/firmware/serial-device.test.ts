import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createLocalToolchain } from '../../src/core/deploy/toolchain-local.node';
import { evaluateOnBoard } from '../../src/core/evaluation/evaluator';
import { openSerialDevice, resolveDevicePath } from '../../src/core/evaluation/transport-serial.node';
import { FIXTURE_HASH, fixtureReference } from './fixture-model';
import { randomInt8Vectors, readModelDir, requireTools } from './helpers';

describe('serial-device transport (deploy.evaluator.params.dev)', () => {
  it('expands a glob in the last path component, as Qualia allows', () => {
    const dir = mkdtempSync(join(tmpdir(), 'mote-dev-'));
    try {
      writeFileSync(join(dir, 'usb-STMicroelectronics_STLINK-V3_0001-if02'), '');
      writeFileSync(join(dir, 'usb-Other-if00'), '');
      expect(resolveDevicePath(join(dir, 'usb-STMicro*-if02'))).toBe(join(dir, 'usb-STMicroelectronics_STLINK-V3_0001-if02'));
      expect(resolveDevicePath(join(dir, 'usb-Nothing*'))).toBeUndefined();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('explains a device that never appears', async () => {
    await expect(openSerialDevice('/dev/mote-no-such-tty', 921600, { timeoutMs: 300 })).rejects.toThrow(/did not appear within 0.3 s; check the cable and deploy.evaluator.params.dev/);
  });

  it.runIf(requireTools('arm-none-eabi-gcc', 'qemu-system-arm', 'stty'))('evaluates a board behind a tty (QEMU -serial pty) with stty raw + fs streams', async () => {
    const build = await createLocalToolchain().build({ board: 'virtual-cortex-m4', modelFiles: readModelDir() });
    const dir = mkdtempSync(join(tmpdir(), 'mote-pty-'));
    writeFileSync(join(dir, 'fw.elf'), build.files['firmware.elf']);
    const qemu = spawn('qemu-system-arm', ['-M', 'mps2-an386', '-nographic', '-monitor', 'none', '-icount', 'shift=0', '-serial', 'pty', '-kernel', join(dir, 'fw.elf')], { stdio: ['ignore', 'pipe', 'pipe'] });
    try {
      const path = await new Promise<string>((resolve, reject) => {
        let text = '';
        const onData = (chunk: Buffer) => { text += chunk.toString(); const m = /(\/dev\/pts\/\d+)/.exec(text); if (m) resolve(m[1]); };
        qemu.stdout.on('data', onData);
        qemu.stderr.on('data', onData);
        qemu.on('exit', () => reject(new Error(`qemu exited: ${text}`)));
      });
      const port = await openSerialDevice(path, 921600, { timeoutMs: 5000 });
      const vectors = randomInt8Vectors(30, 16, 3);
      // The board booted before we opened the tty: its HELLO may be gone, so the evaluator asks again.
      const report = await evaluateOnBoard({ transport: port, vectors, reference: (v) => fixtureReference(v), expectedModelHash: FIXTURE_HASH, helloTimeoutMs: 300 });
      expect(report.bit_exact).toBe(true);
      expect(report.n).toBe(30);
      await port.close();
    } finally {
      qemu.kill('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
    }
  }, 30_000);
});

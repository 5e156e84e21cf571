// The Install Mote Runtime steps: a board is recorded as installed only after verify, never after a failure,
// a cancel or a late progress report.
import { describe, expect, it } from 'vitest';
import { boardOf } from '../../src/core/deploy/registry';
import { etaText, fitsCapacity, idleInstall, installRecord, installStep, type InstallEvent, type InstallState } from '../../src/core/deploy/install-state';

const esp = boardOf('ESP32C3');
const record = installRecord('ESP32C3', esp.install!, { name: 'mote-runtime-esp32c3.bin', bytes: new TextEncoder().encode('123456789') }, '303a:1001', new Date('2026-01-01T00:00:00Z'));
const run = (events: InstallEvent[], from: InstallState = idleInstall) => events.reduce(installStep, from);

describe('install state machine', () => {
  it('start → progress → verifying → verified is installed, with the image CRC-32', () => {
    const s = run([{ type: 'start', activity: 'resetting' }, { type: 'progress', written: 10, total: 100, etaSeconds: 9 }, { type: 'progress', written: 100, total: 100 }, { type: 'verifying', activity: 'md5' }, { type: 'verified', record }]);
    expect(s).toEqual({ phase: 'installed', record });
    expect(record.crc32).toBe('cbf43926'); // CRC-32 check value of "123456789"
    expect(record).toMatchObject({ board: 'ESP32C3', method: 'esptool', verifiedBy: 'flash-md5', usb: '303a:1001', bytes: 9 });
  });

  it('verified without a verify step is ignored: writing everything is not installing', () => {
    const writing = run([{ type: 'start', activity: '' }, { type: 'progress', written: 100, total: 100 }]);
    expect(installStep(writing, { type: 'verified', record })).toBe(writing);
    expect(installStep(idleInstall, { type: 'verified', record })).toBe(idleInstall);
  });

  it('a failure at any step ends in failed with its message; a late progress or verified after it changes nothing', () => {
    for (const at of [[], [{ type: 'progress', written: 1, total: 2 }], [{ type: 'progress', written: 2, total: 2 }, { type: 'verifying', activity: '' }]] as InstallEvent[][]) {
      const failed = run([{ type: 'start', activity: '' }, ...at, { type: 'failed', message: 'The flash did not read back as written.' }]);
      expect(failed).toEqual({ phase: 'failed', message: 'The flash did not read back as written.' });
      expect(run([{ type: 'progress', written: 2, total: 2 }, { type: 'verifying', activity: '' }, { type: 'verified', record }], failed)).toBe(failed);
    }
  });

  it('cancel while busy ends in cancelled; cancel or fail when idle is ignored', () => {
    expect(run([{ type: 'start', activity: '' }, { type: 'progress', written: 1, total: 9 }, { type: 'cancelled' }])).toEqual({ phase: 'cancelled' });
    expect(installStep(idleInstall, { type: 'cancelled' })).toBe(idleInstall);
    expect(installStep(idleInstall, { type: 'failed', message: 'x' })).toBe(idleInstall);
  });

  it('a second start while busy is ignored; after a failure it starts again (re-run, nothing lost)', () => {
    const busy = run([{ type: 'start', activity: 'a' }]);
    expect(installStep(busy, { type: 'start', activity: 'b' })).toBe(busy);
    expect(installStep(busy, { type: 'reset' })).toBe(busy);
    const again = run([{ type: 'failed', message: 'unplugged' }, { type: 'reset' }, { type: 'start', activity: 'c' }], busy);
    expect(again).toEqual({ phase: 'connecting', activity: 'c' });
  });

  it('progress never claims more than the total', () => {
    expect(run([{ type: 'start', activity: '' }, { type: 'progress', written: 120, total: 100 }])).toMatchObject({ written: 100, total: 100 });
  });

  it('ETA in words', () => {
    expect(etaText(undefined)).toBe('');
    expect(etaText(4.2)).toBe('about 5 s left');
    expect(etaText(125)).toBe('about 2 min 5 s left');
  });

  it('a model too big for the board is refused with both sizes', () => {
    expect(fitsCapacity({ flashBytes: 10, ramBytes: 10 }, esp.capacity)).toBeNull();
    const refused = fitsCapacity({ flashBytes: 10, ramBytes: 400_000 }, esp.capacity);
    expect(refused).toContain(`RAM: the model needs 400000 B, the board has ${esp.capacity.ramBytes} B`);
    expect(refused).not.toContain('flash:');
    expect(fitsCapacity({ flashBytes: 1e9, ramBytes: 1e9 }, { flashBytes: null, ramBytes: null })).toBeNull();
  });
});

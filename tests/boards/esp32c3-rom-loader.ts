// A simulated ESP32-C3 serial ROM loader, written from Espressif's documented serial protocol (esptool
// docs/en/advanced-topics/serial-protocol.rst, loader.py constants; boards-reference.md §1.11), so that
// esptool-js can be driven in Node exactly as it drives a board: SLIP frames, SYNC, GET_SECURITY_INFO,
// READ_REG/WRITE_REG, SPI_ATTACH, FLASH_BEGIN/DATA and FLASH_DEFL_BEGIN/DATA (zlib), SPI_FLASH_MD5.
// The chip's reset pins follow a devkit's auto-reset circuit: RTS pulls EN low, DTR pulls GPIO9 (the boot
// strap) low, each only while the other line is released. Releasing EN with GPIO9 low enters the loader;
// with it high the ROM boots flash offset 0, which this model checks with Mote's own ESP image reader.
// It is a test double of the hardware's ROM, not a part of Mote.
import { createHash } from 'node:crypto';
import { constants, inflateSync } from 'node:zlib';
import { readEspImage, type EspImage } from '../../src/core/deploy/formats/esp-image';

const SLIP_END = 0xc0, SLIP_ESC = 0xdb, SLIP_ESC_END = 0xdc, SLIP_ESC_ESC = 0xdd;
const enum Op { FlashBegin = 0x02, FlashData = 0x03, FlashEnd = 0x04, MemBegin = 0x05, Sync = 0x08, WriteReg = 0x09, ReadReg = 0x0a, SpiAttach = 0x0d, DeflBegin = 0x10, DeflData = 0x11, DeflEnd = 0x12, Md5 = 0x13, SecurityInfo = 0x14 }
/** ROM error codes (serial-protocol.rst): invalid message, failed to act, bad checksum, inflate error. */
const ERR_INVALID = 0x05, ERR_FAILED = 0x06, ERR_CHECKSUM = 0x07, ERR_INFLATE = 0x0b;
const CHIP_DETECT_MAGIC_REG = 0x40001000;

export interface RomLoaderOptions {
  /** GET_SECURITY_INFO chip id: 5 = ESP32-C3 (another value plays a different chip). */
  chipId?: number;
  flashBytes?: number;
  /** Whether DTR/RTS reach EN and GPIO9 (false: a board whose auto-reset does not work; BOOT must be held). */
  autoReset?: boolean;
  /** Flip one bit of every flash write from this byte offset on (a failing flash chip). */
  corruptWritesFrom?: number;
  /** Unplug the board after this many flash data blocks. */
  unplugAfterBlocks?: number;
}

export class SimulatedEsp32c3 {
  readonly flash: Uint8Array;
  mode: 'off' | 'reset' | 'download' | 'app' = 'off';
  /** The BOOT button (GPIO9 to ground) held down. */
  bootButton = false;
  /** The image the ROM last booted from flash, or why it refused. */
  booted?: EspImage;
  bootRefusal?: string;
  unplugged = false;
  readonly log: string[] = [];
  private dtr = false;
  private rts = false;
  private rx: number[] = [];
  private escaped = false;
  private inFrame = false;
  private write?: { offset: number; compressed: boolean; size: number; chunks: Uint8Array[]; written: number };
  private blocks = 0;
  private send: (bytes: Uint8Array) => void = () => undefined;
  private onUnplug: () => void = () => undefined;

  constructor(private readonly options: RomLoaderOptions = {}) {
    this.flash = new Uint8Array(options.flashBytes ?? 4 * 1024 * 1024).fill(0xff);
  }

  /** Wires the chip to a host side: bytes it sends, and what to do when it is unplugged. */
  attach(send: (bytes: Uint8Array) => void, onUnplug: () => void): void {
    this.send = send;
    this.onUnplug = onUnplug;
  }

  /** Power on (or the RESET button): sample the strap as the ROM does. */
  powerOn(): void { this.releaseReset(!this.bootButton); }

  setSignals(dtr: boolean | undefined, rts: boolean | undefined): void {
    if (dtr !== undefined) this.dtr = dtr;
    if (rts !== undefined) this.rts = rts;
    if (this.options.autoReset === false) return;
    const enLow = this.rts && !this.dtr;
    const strapLow = this.dtr && !this.rts;
    if (enLow) { this.mode = 'reset'; return; }
    if (this.mode === 'reset') this.releaseReset(!(strapLow || this.bootButton));
  }

  private releaseReset(strapHigh: boolean): void {
    this.rx = [];
    this.write = undefined;
    if (!strapHigh) {
      this.mode = 'download';
      this.text('ESP-ROM:esp32c3-api1-20210207\r\nrst:0x1 (POWERON),boot:0x5 (DOWNLOAD(USB/UART0/1))\r\nwaiting for download\r\n');
      return;
    }
    this.mode = 'app';
    this.text('ESP-ROM:esp32c3-api1-20210207\r\nrst:0x1 (POWERON),boot:0xc (SPI_FAST_FLASH_BOOT)\r\n');
    void readEspImage(this.flash.subarray(0, 512 * 1024).slice()).then((image) => {
      if (image.chipId !== 5) throw new Error(`chip id ${image.chipId} is not the ESP32-C3's 5`);
      this.booted = image;
      this.bootRefusal = undefined;
    }).catch((error: Error) => { this.booted = undefined; this.bootRefusal = error.message; this.text('invalid header: 0xffffffff\r\n'); });
  }

  private text(s: string): void { this.send(new TextEncoder().encode(s)); }

  receive(bytes: Uint8Array): void {
    if (this.unplugged || this.mode !== 'download') return; // an app, or a chip in reset, ignores the loader
    for (const byte of bytes) {
      if (byte === SLIP_END) {
        if (this.inFrame && this.rx.length) this.handle(Uint8Array.from(this.rx));
        this.rx = [];
        this.inFrame = true;
        continue;
      }
      if (!this.inFrame) continue;
      if (this.escaped) { this.rx.push(byte === SLIP_ESC_END ? SLIP_END : byte === SLIP_ESC_ESC ? SLIP_ESC : byte); this.escaped = false; }
      else if (byte === SLIP_ESC) this.escaped = true;
      else this.rx.push(byte);
    }
  }

  private reply(op: number, value: number, data: Uint8Array = new Uint8Array(0), status = 0, error = 0): void {
    const body = new Uint8Array(8 + data.length + 4);
    const view = new DataView(body.buffer);
    body[0] = 1;
    body[1] = op;
    view.setUint16(2, data.length + 4, true);
    view.setUint32(4, value >>> 0, true);
    body.set(data, 8);
    body[8 + data.length] = status;
    body[9 + data.length] = error;
    const out: number[] = [SLIP_END];
    for (const b of body) {
      if (b === SLIP_END) out.push(SLIP_ESC, SLIP_ESC_END);
      else if (b === SLIP_ESC) out.push(SLIP_ESC, SLIP_ESC_ESC);
      else out.push(b);
    }
    out.push(SLIP_END);
    this.send(Uint8Array.from(out));
  }

  private handle(packet: Uint8Array): void {
    if (packet.length < 8 || packet[0] !== 0) return;
    const view = new DataView(packet.buffer, packet.byteOffset, packet.byteLength);
    const op = packet[1];
    const size = view.getUint16(2, true);
    const checksum = view.getUint32(4, true);
    const data = packet.subarray(8);
    if (data.length !== size) { this.reply(op, 0, undefined, 1, ERR_INVALID); return; }
    const word = (i: number) => new DataView(data.buffer, data.byteOffset, data.byteLength).getUint32(4 * i, true);
    this.log.push(`0x${op.toString(16)}`);
    switch (op) {
      case Op.Sync:
        for (let i = 0; i < 8; i++) this.reply(op, 0x20120707);
        return;
      case Op.SecurityInfo: {
        const info = new Uint8Array(20);
        new DataView(info.buffer).setUint32(12, this.options.chipId ?? 5, true);
        this.reply(op, 0, info);
        return;
      }
      case Op.ReadReg:
        this.reply(op, word(0) === CHIP_DETECT_MAGIC_REG ? 0x1b31506f : 0);
        return;
      case Op.WriteReg:
      case Op.SpiAttach:
        this.reply(op, 0);
        return;
      case Op.FlashBegin:
      case Op.DeflBegin: {
        const [eraseSize, , , offset] = [word(0), word(1), word(2), word(3)];
        if (offset + eraseSize > this.flash.length) { this.reply(op, 0, undefined, 1, ERR_FAILED); return; }
        this.flash.fill(0xff, offset, offset + eraseSize);
        this.write = { offset, compressed: op === Op.DeflBegin, size: eraseSize, chunks: [], written: 0 };
        this.reply(op, 0);
        return;
      }
      case Op.FlashData:
      case Op.DeflData: {
        const w = this.write;
        const length = word(0);
        const payload = data.subarray(16, 16 + length);
        let sum = 0xef;
        for (const b of payload) sum ^= b;
        if (!w || payload.length !== length) { this.reply(op, 0, undefined, 1, ERR_FAILED); return; }
        if (sum !== checksum) { this.reply(op, 0, undefined, 1, ERR_CHECKSUM); return; }
        if (this.options.unplugAfterBlocks !== undefined && this.blocks >= this.options.unplugAfterBlocks) { this.unplug(); return; }
        this.blocks++;
        let plain: Uint8Array;
        if (w.compressed) {
          w.chunks.push(payload.slice());
          try {
            const all = inflateSync(Buffer.concat(w.chunks), { finishFlush: constants.Z_SYNC_FLUSH });
            plain = new Uint8Array(all.buffer, all.byteOffset + w.written, all.length - w.written);
          } catch { this.reply(op, 0, undefined, 1, ERR_INFLATE); return; }
        } else {
          plain = payload;
        }
        this.program(w.offset + w.written, plain);
        w.written += plain.length;
        this.reply(op, 0);
        return;
      }
      case Op.FlashEnd:
      case Op.DeflEnd:
        this.write = undefined;
        this.reply(op, 0);
        return;
      case Op.Md5: {
        const [address, length] = [word(0), word(1)];
        if (address + length > this.flash.length) { this.reply(op, 0, undefined, 1, ERR_FAILED); return; }
        // The ROM answers with the digest as 32 ASCII hex characters (the stub sends 16 raw bytes).
        const hex = createHash('md5').update(this.flash.subarray(address, address + length)).digest('hex');
        this.reply(op, 0, new TextEncoder().encode(hex));
        return;
      }
      default:
        this.reply(op, 0, undefined, 1, ERR_INVALID);
    }
  }

  private program(at: number, bytes: Uint8Array): void {
    this.flash.set(bytes, at);
    const from = this.options.corruptWritesFrom;
    if (from !== undefined && at + bytes.length > from) this.flash[Math.max(at, from)] ^= 0x01;
  }

  unplug(): void {
    this.unplugged = true;
    this.mode = 'off';
    this.onUnplug();
  }
}

// A simulated BBC micro:bit with its DAPLink interface chip, as a WebUSB device: what
// @microbit/microbit-connection's USB stack (transport.js → cmsis-dap.js → arm-debug.js / cortex-m.js /
// daplink.js) talks to. Mote's own, written from the CMSIS-DAP command reference and DAPLink's vendor
// commands as the library uses them:
//   - the USB device: a vendor-class (0xFF) CMSIS-DAP v2 interface with one bulk OUT and one bulk IN
//     endpoint beside the MSC/CDC/HID interfaces a DAPLink shows; 64-byte packets, one response per command;
//   - CMSIS-DAP: DAP_Info, DAP_Connect (SWD), DAP_Disconnect, DAP_TransferConfigure, DAP_SWJ_Clock,
//     DAP_SWJ_Sequence, DAP_WriteABORT, DAP_Transfer and DAP_TransferBlock on a small SWD model: DP (DPIDR,
//     CTRL/STAT power-up handshake, SELECT) and a MEM-AP (CSW, TAR with auto-increment, DRW) over a memory bus
//     with the nRF52's FICR (page size, page count, device id), the Cortex-M debug registers (DHCSR halt and
//     resume, DEMCR vector catch, AIRCR SYSRESETREQ with S_RESET_ST) and RAM;
//   - DAPLink vendor commands: READ_UNIQUE_ID 0x80 (the 48-digit id whose first 4 digits are the board id:
//     9903…9906 for a v2, 9900/9901 for a v1), serial settings 0x81/0x82, serial read/write 0x83/0x84, and
//     the flash stream OPEN 0x8A / WRITE 0x8C / CLOSE 0x8B / RESET 0x89. The streamed Intel HEX is recorded,
//     checked record by record (checksums) and programmed into a 512 KiB flash at CLOSE, as DAPLink does.
// It can be unplugged after a number of flash writes (the transfers then fail as Chrome's do: NotFoundError
// "The device was disconnected."), and the chooser can be dismissed (NotFoundError "No device selected.").
const PACKET = 64;

const DHCSR = 0xe000edf0, DEMCR = 0xe000edfc, AIRCR = 0xe000ed0c, DFSR = 0xe000ed30, DCRSR = 0xe000edf4, DCRDR = 0xe000edf8;
const S_REGRDY = 1 << 16, S_HALT = 1 << 17, S_RESET_ST = 1 << 25;

const domError = (message: string, name: string) => new DOMException(message, name);

export interface SimulatedMicrobitOptions {
  /** DAPLink board id: '9904' (micro:bit v2.2), '9903' (v2.0), '9900'/'9901' (v1). */
  boardId?: string;
  /** Unplug the board when this many FLASH_WRITE commands have been received. */
  unplugAfterWrites?: number;
}

export class SimulatedMicrobit {
  readonly vendorId = 0x0d28;
  readonly productId = 0x0204;
  readonly manufacturerName = 'ARM';
  readonly productName = 'BBC micro:bit CMSIS-DAP';
  readonly serialNumber: string;
  readonly boardId: string;
  opened = false;
  configuration: { interfaces: { interfaceNumber: number; alternates: { interfaceClass: number; endpoints: { endpointNumber: number; direction: 'in' | 'out'; type: 'bulk'; packetSize: number }[] }[] }[] } | null = null;
  private claimed = new Set<number>();
  private responses: Uint8Array[] = [];
  private waiting: { resolve: (r: { status: 'ok'; data: DataView }) => void; reject: (e: unknown) => void }[] = [];
  unplugged = false;
  onUnplug?: () => void;

  /** Every CMSIS-DAP / vendor command byte received, in order. */
  readonly commands: number[] = [];
  /** The bytes of the current or last flash stream (FLASH_WRITE payloads). */
  stream: number[] = [];
  streamOpen = false;
  streamType: number | undefined;
  flashWrites = 0;
  /** The Intel HEX DAPLink accepted (CLOSE answered success); undefined until a stream closed cleanly. */
  programmed: Uint8Array | undefined;
  /** The nRF52833's 512 KiB flash (erased = 0xFF) as programmed from the accepted stream. */
  readonly flash = new Uint8Array(512 * 1024).fill(0xff);
  readonly ram = new Map<number, number>();
  resets = 0;
  private readonly unplugAfterWrites?: number;

  // SWD state
  private ctrlStat = 0;
  private tar = 0;
  private csw = 0;
  halted = false;
  private debugEnabled = false;
  private demcr = 0;
  private resetSticky = false;

  constructor(options: SimulatedMicrobitOptions = {}) {
    this.boardId = options.boardId ?? '9904';
    this.serialNumber = `${this.boardId}${'0'.repeat(36)}9e13c2d1`; // board id, family, …, HIC id: 48 digits
    this.unplugAfterWrites = options.unplugAfterWrites;
  }

  get isV2(): boolean { return /^990[3-6]$/.test(this.boardId); }

  // ---- WebUSB USBDevice surface ----
  async open(): Promise<void> { this.check(); this.opened = true; }
  async close(): Promise<void> { this.opened = false; this.claimed.clear(); this.configuration = null; }
  async selectConfiguration(value: number): Promise<void> {
    this.check();
    if (value !== 1) throw domError('The configuration value provided is not supported by the device.', 'NotFoundError');
    const ep = (endpointNumber: number, direction: 'in' | 'out') => ({ endpointNumber, direction, type: 'bulk' as const, packetSize: PACKET });
    this.configuration = {
      interfaces: [
        { interfaceNumber: 0, alternates: [{ interfaceClass: 0x08, endpoints: [ep(1, 'in'), ep(1, 'out')] }] }, // MSC: the MICROBIT drive
        { interfaceNumber: 1, alternates: [{ interfaceClass: 0x02, endpoints: [ep(2, 'in')] }] }, // CDC control
        { interfaceNumber: 2, alternates: [{ interfaceClass: 0x0a, endpoints: [ep(3, 'in'), ep(3, 'out')] }] }, // CDC data: the serial port
        { interfaceNumber: 3, alternates: [{ interfaceClass: 0x03, endpoints: [ep(4, 'in'), ep(4, 'out')] }] }, // HID: CMSIS-DAP v1
        { interfaceNumber: 4, alternates: [{ interfaceClass: 0xff, endpoints: [ep(5, 'out'), ep(6, 'in')] }] }, // vendor: CMSIS-DAP v2
      ],
    };
  }
  async claimInterface(n: number): Promise<void> {
    this.check();
    if (!this.opened) throw domError('The device must be opened first.', 'InvalidStateError');
    this.claimed.add(n);
  }
  async transferOut(endpoint: number, data: BufferSource): Promise<{ status: 'ok'; bytesWritten: number }> {
    this.check();
    if (!this.claimed.has(4) || endpoint !== 5) throw domError('The specified endpoint is not part of a claimed and selected alternate interface.', 'NotFoundError');
    const bytes = ArrayBuffer.isView(data) ? new Uint8Array(data.buffer, data.byteOffset, data.byteLength) : new Uint8Array(data);
    const response = this.command(bytes.slice());
    if (this.unplugged) throw domError('The device was disconnected.', 'NotFoundError');
    const packet = new Uint8Array(PACKET);
    packet.set(response.subarray(0, PACKET));
    const waiter = this.waiting.shift();
    if (waiter) waiter.resolve({ status: 'ok', data: new DataView(packet.buffer) });
    else this.responses.push(packet);
    return { status: 'ok', bytesWritten: bytes.length };
  }
  transferIn(endpoint: number, _length: number): Promise<{ status: 'ok'; data: DataView }> {
    try { this.check(); } catch (e) { return Promise.reject(e); }
    if (endpoint !== 6) return Promise.reject(domError('The specified endpoint is not part of a claimed and selected alternate interface.', 'NotFoundError'));
    const ready = this.responses.shift();
    if (ready) return Promise.resolve({ status: 'ok', data: new DataView(ready.buffer) });
    return new Promise((resolve, reject) => this.waiting.push({ resolve, reject }));
  }
  async controlTransferOut(): Promise<never> { throw domError('not used by CMSIS-DAP v2', 'NotSupportedError'); }
  async controlTransferIn(): Promise<never> { throw domError('not used by CMSIS-DAP v2', 'NotSupportedError'); }

  /** Pulls the cable: every transfer from now on fails, and a waiting read fails now. */
  unplug(): void {
    if (this.unplugged) return;
    this.unplugged = true;
    this.opened = false;
    for (const w of this.waiting.splice(0)) w.reject(domError('The device was disconnected.', 'NotFoundError'));
    this.onUnplug?.();
  }

  private check(): void {
    if (this.unplugged) throw domError('The device was disconnected.', 'NotFoundError');
  }

  // ---- CMSIS-DAP and DAPLink commands ----
  private command(p: Uint8Array): Uint8Array {
    const id = p[0];
    this.commands.push(id);
    const view = new DataView(p.buffer, p.byteOffset, p.byteLength);
    switch (id) {
      case 0x00: return this.info(p[1]);
      case 0x02: return Uint8Array.of(0x02, p[1] === 0 || p[1] === 1 ? 1 : 0); // DAP_Connect: default port = SWD
      case 0x03: case 0x04: case 0x08: case 0x11: case 0x12: return Uint8Array.of(id, 0x00);
      case 0x05: return this.transfer(p);
      case 0x06: return this.transferBlock(p, view);
      case 0x80: return Uint8Array.of(0x80, this.serialNumber.length, ...new TextEncoder().encode(this.serialNumber));
      case 0x81: { const r = new Uint8Array(5); r[0] = 0x81; new DataView(r.buffer).setUint32(1, 115200, true); return r; }
      case 0x82: return Uint8Array.of(0x82, 0x00);
      case 0x83: return Uint8Array.of(0x83, 0x00);
      case 0x84: return Uint8Array.of(0x84, p[1]);
      case 0x89: this.resets++; this.halted = false; return Uint8Array.of(0x89, 0x00);
      case 0x8a: {
        this.streamType = view.getUint32(1, true);
        this.streamOpen = true;
        this.stream = [];
        this.programmed = undefined;
        return Uint8Array.of(0x8a, 0x00);
      }
      case 0x8c: {
        if (!this.streamOpen) return Uint8Array.of(0x8c, 0x01); // ERROR_FAILURE
        this.flashWrites++;
        if (this.unplugAfterWrites !== undefined && this.flashWrites >= this.unplugAfterWrites) {
          this.unplug();
          return Uint8Array.of(0x8c, 0x00);
        }
        const length = p[1];
        for (let i = 0; i < length; i++) this.stream.push(p[2 + i]);
        const done = /:00000001FF/i.test(new TextDecoder().decode(Uint8Array.from(this.stream.slice(-64))));
        return Uint8Array.of(0x8c, done ? 18 : 0); // ERROR_SUCCESS_DONE once the EOF record arrived
      }
      case 0x8b: {
        if (!this.streamOpen) return Uint8Array.of(0x8b, 0x01);
        this.streamOpen = false;
        const text = new TextDecoder().decode(Uint8Array.from(this.stream));
        const status = this.streamType === 1 ? this.program(text) : 0x01;
        if (status === 0) {
          this.programmed = Uint8Array.from(this.stream);
          this.resets++; // DAPLink resets the target when the stream closes
          this.halted = false;
        }
        return Uint8Array.of(0x8b, status);
      }
      default: return Uint8Array.of(0xff);
    }
  }

  private info(what: number): Uint8Array {
    const text = (s: string) => Uint8Array.of(0x00, s.length + 1, ...new TextEncoder().encode(s), 0);
    switch (what) {
      case 0x01: return text('ARM');
      case 0x02: return text('DAPLink CMSIS-DAP');
      case 0x03: return text(this.serialNumber);
      case 0x04: return text('2.1.0');
      case 0xf0: return Uint8Array.of(0x00, 1, 0x01); // capabilities: SWD
      case 0xff: return Uint8Array.of(0x00, 2, PACKET, 0);
      default: return Uint8Array.of(0x00, 0);
    }
  }

  /** Programs the flash from Intel HEX text, checking every record; 0 on success, a DAPLink error otherwise. */
  private program(text: string): number {
    const image = new Uint8Array(this.flash.length).fill(0xff);
    let upper = 0, sawEnd = false;
    for (const raw of text.split(/\r?\n/)) {
      const line = raw.trim();
      if (!line) continue;
      if (!/^:([0-9A-Fa-f]{2})+$/.test(line)) return 0x22; // not Intel HEX
      const bytes = line.slice(1).match(/../g)!.map((h) => parseInt(h, 16));
      if ((bytes.reduce((a, b) => a + b, 0) & 0xff) !== 0 || bytes.length !== bytes[0] + 5) return 0x21; // bad checksum / length
      const [count, hi, lo, type] = bytes;
      const data = bytes.slice(4, 4 + count);
      if (type === 0x00) {
        const address = upper + ((hi << 8) | lo);
        if (address + count > image.length) return 0x24; // outside the nRF52833's flash
        image.set(data, address);
      } else if (type === 0x01) { sawEnd = true; break; }
      else if (type === 0x04) upper = ((data[0] << 8) | data[1]) << 16;
      else if (type === 0x02) upper = ((data[0] << 8) | data[1]) << 4;
      // 03/05 start addresses: DAPLink ignores them
    }
    if (!sawEnd) return 0x23;
    this.flash.set(image);
    return 0;
  }

  private read32(address: number): number {
    if (address === 0x10000010) return this.isV2 ? 4096 : 1024; // FICR.CODEPAGESIZE
    if (address === 0x10000014) return this.isV2 ? 128 : 256; // FICR.CODESIZE (pages)
    if (address === 0x10000064) return 0x1a2b3c4d; // FICR.DEVICEID[1]
    if (address === DHCSR) {
      const value = (this.halted ? S_HALT : 0) | S_REGRDY | (this.debugEnabled ? 1 : 0) | (this.resetSticky ? S_RESET_ST : 0) | (this.halted ? 2 : 0);
      this.resetSticky = false;
      return value >>> 0;
    }
    if (address === DEMCR) return this.demcr;
    if (address < this.flash.length) return new DataView(this.flash.buffer).getUint32(address & ~3, true);
    if (address >= 0x20000000 && address < 0x20020000) return this.ram.get(address) ?? 0;
    return 0;
  }

  private write32(address: number, value: number): void {
    if (address === DHCSR) {
      if (value >>> 16 !== 0xa05f) return; // DBGKEY required
      this.debugEnabled = (value & 1) !== 0;
      this.halted = (value & 2) !== 0;
    } else if (address === DEMCR) this.demcr = value >>> 0;
    else if (address === AIRCR) {
      if (value >>> 16 === 0x05fa && value & 4) {
        this.resets++;
        this.resetSticky = true;
        this.halted = (this.demcr & 1) !== 0; // VC_CORERESET: halt at the reset vector
      }
    } else if (address === DFSR || address === DCRSR || address === DCRDR) {
      // debug fault status / core register transfer: accepted, nothing modelled
    } else if (address >= 0x20000000 && address < 0x20020000) this.ram.set(address, value >>> 0);
  }

  private dp(read: boolean, register: number, value: number): number {
    switch (register) {
      case 0x0: return read ? 0x2ba01477 : 0; // DPIDR / ABORT
      case 0x4:
        if (!read) { this.ctrlStat = value >>> 0; return 0; }
        return (this.ctrlStat | ((this.ctrlStat & (1 << 30)) ? 1 << 31 : 0) | ((this.ctrlStat & (1 << 28)) ? 1 << 29 : 0)) >>> 0;
      case 0x8: return 0; // SELECT
      default: return 0;
    }
  }

  private ap(read: boolean, register: number, value: number): number {
    switch (register) {
      case 0x0: if (!read) this.csw = value >>> 0; return this.csw;
      case 0x4: if (!read) this.tar = value >>> 0; return this.tar;
      case 0xc: {
        let result = 0;
        if (read) result = this.read32(this.tar);
        else this.write32(this.tar, value);
        if (this.csw & (1 << 4)) this.tar = (this.tar + 4) >>> 0;
        return result;
      }
      default: return 0;
    }
  }

  private transfer(p: Uint8Array): Uint8Array {
    const count = p[2];
    const view = new DataView(p.buffer, p.byteOffset, p.byteLength);
    const reads: number[] = [];
    let at = 3;
    for (let i = 0; i < count; i++) {
      const request = p[at++];
      const isAp = (request & 1) !== 0, read = (request & 2) !== 0, register = request & 0x0c;
      let value = 0;
      if (!read) { value = view.getUint32(at, true); at += 4; }
      const result = isAp ? this.ap(read, register, value) : this.dp(read, register, value);
      if (read) reads.push(result);
    }
    const out = new Uint8Array(3 + reads.length * 4);
    out[0] = 0x05; out[1] = count; out[2] = 0x01; // all done, ACK OK
    reads.forEach((v, i) => new DataView(out.buffer).setUint32(3 + i * 4, v, true));
    return out;
  }

  private transferBlock(p: Uint8Array, view: DataView): Uint8Array {
    const count = view.getUint16(2, true);
    const request = p[4];
    const read = (request & 2) !== 0, register = request & 0x0c;
    const out = new Uint8Array(4 + (read ? count * 4 : 0));
    const outView = new DataView(out.buffer);
    for (let i = 0; i < count; i++) {
      if (read) outView.setUint32(4 + i * 4, this.ap(true, register, 0), true);
      else this.ap(false, register, view.getUint32(5 + i * 4, true));
    }
    out[0] = 0x06; outView.setUint16(1, count, true); out[3] = 0x01;
    return out;
  }
}

type Listener = (event: { device: SimulatedMicrobit }) => void;

/** A WebUSB `navigator.usb` with the simulated micro:bits plugged in; `choose` plays the browser's chooser. */
export class SimulatedWebUsb {
  private listeners = new Map<string, Set<Listener>>();
  requests = 0;
  /** `disconnectEvent` 'at-once': the disconnect event fires as the transfers fail; 'later': on a later turn of the event loop. */
  constructor(public devices: SimulatedMicrobit[], public choose: (devices: SimulatedMicrobit[]) => SimulatedMicrobit | undefined = (d) => d[0], disconnectEvent: 'at-once' | 'later' = 'at-once') {
    for (const device of devices) device.onUnplug = () => (disconnectEvent === 'at-once' ? this.emit('disconnect', device) : setTimeout(() => this.emit('disconnect', device), 20));
  }
  async requestDevice(options: { filters: { vendorId?: number; productId?: number }[] }): Promise<SimulatedMicrobit> {
    this.requests++;
    const matching = this.devices.filter((d) => !d.unplugged && options.filters.some((f) => (f.vendorId === undefined || f.vendorId === d.vendorId) && (f.productId === undefined || f.productId === d.productId)));
    const chosen = this.choose(matching);
    if (!chosen) throw domError('No device selected.', 'NotFoundError');
    return chosen;
  }
  async getDevices(): Promise<SimulatedMicrobit[]> { return []; }
  addEventListener(type: string, listener: Listener): void {
    if (!this.listeners.has(type)) this.listeners.set(type, new Set());
    this.listeners.get(type)!.add(listener);
  }
  removeEventListener(type: string, listener: Listener): void { this.listeners.get(type)?.delete(listener); }
  private emit(type: string, device: SimulatedMicrobit): void {
    for (const l of this.listeners.get(type) ?? []) l({ device });
  }
}

// Serial-device transport for Node (deploy.evaluator.params.dev): configures the tty with `stty` (raw, no
// echo, baud rate) and reads/writes it through plain file descriptors, so no native npm module is needed.
import { spawnSync } from 'node:child_process';
import { constants, createReadStream, existsSync, openSync, promises as fsp, readdirSync, writeSync, closeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { isatty, ReadStream as TtyReadStream } from 'node:tty';
import { TransportBase, TransportError, type ByteTransport } from './transport';

class SerialTransport extends TransportBase implements ByteTransport {
  private readonly stream: NodeJS.ReadableStream & { destroy(): void };
  /** Whether this side closes `fd` (false when libuv's tty handle took that very descriptor and closes it). */
  private readonly ownsFd: boolean;

  constructor(private readonly fd: number, readonly path: string) {
    super();
    // A tty (a serial device, a pty) is read through libuv's poll-based tty handle. A file stream's read waits
    // in the thread pool until a byte comes, and that pending read kept the process alive after close: the CLI
    // hung after a finished evaluation until the board sent something, which a Mote Runtime never does. On
    // Linux libuv reopens the tty for its handle (and dup2s it onto `fd`), so `fd` is still ours to close.
    const isTty = isatty(fd);
    if (isTty) {
      const tty = new TtyReadStream(fd);
      this.stream = tty;
      this.ownsFd = (tty as unknown as { _handle?: { fd?: number } })._handle?.fd !== fd;
    } else {
      this.stream = createReadStream('', { fd, autoClose: false, highWaterMark: 4096 });
      this.ownsFd = true;
    }
    this.stream.on('data', (chunk) => { const b = chunk as Buffer; this.deliver(new Uint8Array(b.buffer, b.byteOffset, b.byteLength).slice()); });
    // Reads fail with EIO once the device goes away (board unplugged, QEMU pty closed).
    this.stream.on('error', (error) => this.finish(`reading ${path} failed: ${error.message}`));
    // A tty's handle reports the hang-up of an unplugged device (EIO) as the end of its stream.
    this.stream.on('end', () => this.finish(isTty ? `${path} hung up: the device went away` : `${path} reached end of file`));
  }

  async write(bytes: Uint8Array): Promise<void> {
    this.assertOpen('send to the board');
    let offset = 0;
    while (offset < bytes.length) {
      try {
        offset += writeSync(this.fd, bytes, offset, bytes.length - offset);
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        if (code === 'EAGAIN') { await new Promise((r) => setTimeout(r, 1)); continue; }
        throw new TransportError(`writing to ${this.path} failed: ${(error as Error).message}`);
      }
    }
  }

  async close(): Promise<void> {
    this.stream.destroy();
    if (this.ownsFd) { try { closeSync(this.fd); } catch { /* already closed */ } }
    this.finish();
  }
}

/** Expands a glob in the last path component only (Qualia allows `/dev/serial/by-id/usb-STM*-if02`). */
export function resolveDevicePath(pattern: string): string | undefined {
  if (!/[*?]/.test(pattern)) return existsSync(pattern) ? pattern : undefined;
  const dir = dirname(pattern);
  const regex = new RegExp('^' + basename(pattern).replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.') + '$');
  if (!existsSync(dir)) return undefined;
  const match = readdirSync(dir).filter((name) => regex.test(name)).sort()[0];
  return match ? join(dir, match) : undefined;
}

/**
 * Opens a serial device (waiting up to `timeoutMs` for it to appear, as Qualia does), sets it raw 8N1 at
 * `baudrate` with stty, and returns a transport.
 */
export async function openSerialDevice(pattern: string, baudrate: number, options: { timeoutMs?: number } = {}): Promise<ByteTransport & { readonly isClosed: boolean; readonly path: string }> {
  const deadline = Date.now() + (options.timeoutMs ?? 30_000);
  let path = resolveDevicePath(pattern);
  while (!path && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 200));
    path = resolveDevicePath(pattern);
  }
  if (!path) throw new TransportError(`serial device ${pattern} did not appear within ${((options.timeoutMs ?? 30_000) / 1000).toFixed(1)} s; check the cable and deploy.evaluator.params.dev`);
  const stty = spawnSync('stty', ['-F', path, String(baudrate), 'raw', '-echo', '-echoe', '-echok', '-ixon', '-ixoff', '-crtscts', 'cs8', '-cstopb', '-parenb', 'clocal'], { encoding: 'utf8' });
  if (stty.status !== 0) {
    throw new TransportError(`could not configure ${path} at ${baudrate} baud: ${(stty.stderr || stty.error?.message || 'stty failed').trim()}; check permissions (dialout group) and the baud rate`);
  }
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDWR | constants.O_NOCTTY);
  } catch (error) {
    throw new TransportError(`could not open ${path}: ${(error as Error).message}`);
  }
  await fsp.stat(path);
  return new SerialTransport(fd, path);
}

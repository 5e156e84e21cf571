// Socket client transport for QEMU's serial port (Node only): TCP (`-serial tcp:HOST:PORT,server=on`) or a
// Unix socket (`-serial unix:PATH,server=on`, what the sandboxed emulator uses: it has no network).
import { connect, type Socket } from 'node:net';
import { TransportBase, TransportError, type ByteTransport } from './transport';

class TcpTransport extends TransportBase implements ByteTransport {
  constructor(private readonly socket: Socket) {
    super();
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => this.deliver(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength).slice()));
    socket.on('error', (error) => this.finish(`TCP error: ${error.message}`));
    socket.on('close', () => this.finish('the board closed its serial connection'));
  }

  write(bytes: Uint8Array): Promise<void> {
    this.assertOpen('send to the board');
    return new Promise((resolve, reject) => {
      this.socket.write(bytes, (error) => (error ? reject(new TransportError(`sending to the board failed: ${error.message}`)) : resolve()));
    });
  }

  async close(): Promise<void> {
    this.socket.destroy();
    this.finish();
  }
}

/**
 * Connects to host:port, retrying until `timeoutMs` (QEMU opens its listening socket a little after it
 * starts). Rejects with a TransportError that names the address when it never becomes reachable.
 */
export function connectTcp(host: string, port: number, options: { timeoutMs?: number; signal?: AbortSignal } = {}): Promise<ByteTransport & { readonly isClosed: boolean }> {
  return connectSocket({ host, port }, `${host}:${port}`, options);
}

/** Connects to the Unix socket at `path`, retrying until `timeoutMs` like connectTcp. */
export function connectUnixSocket(path: string, options: { timeoutMs?: number; signal?: AbortSignal } = {}): Promise<ByteTransport & { readonly isClosed: boolean }> {
  return connectSocket({ path }, path, options);
}

async function connectSocket(target: { host: string; port: number } | { path: string }, name: string, options: { timeoutMs?: number; signal?: AbortSignal }): Promise<ByteTransport & { readonly isClosed: boolean }> {
  const deadline = Date.now() + (options.timeoutMs ?? 10_000);
  let lastError = 'no attempt';
  while (Date.now() < deadline) {
    if (options.signal?.aborted) throw new TransportError(`connecting to ${name} was cancelled`);
    try {
      const socket = await new Promise<Socket>((resolve, reject) => {
        const s = connect(target);
        s.once('connect', () => { s.removeAllListeners('error'); resolve(s); });
        s.once('error', reject);
      });
      return new TcpTransport(socket);
    } catch (error) {
      lastError = (error as Error).message;
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  throw new TransportError(`could not connect to the board at ${name} (${lastError}); is the emulator running?`);
}

// A VirtualCortexM4 board running on the hosted toolchain service (server/): the service builds the
// firmware, starts QEMU and bridges its UART over a WebSocket; the app evaluates it like any board.
import { ToolchainError, fromBase64 } from '../core/deploy/toolchain';
import type { FirmwareBuildRequest } from '../core/deploy/firmware-build';
import type { ByteTransport } from '../core/evaluation/transport';
import { connectWebSocket, type WebSocketLike } from './websocket-transport';

export interface HostedBoard {
  transport: ByteTransport & { readonly isClosed: boolean };
  /** The firmware the service built (for sizes: parseElf + firmwareSize). */
  elf: Uint8Array;
  log: string;
  stop(): Promise<void>;
}

export async function startHostedBoard(
  baseUrl: string,
  request: Omit<FirmwareBuildRequest, 'board'>,
  WebSocketImpl?: new (url: string) => WebSocketLike,
): Promise<HostedBoard> {
  const base = baseUrl.replace(/\/$/, '');
  let response: Response;
  try {
    response = await fetch(`${base}/boards`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ board: 'virtual-cortex-m4', files: request.modelFiles, options: request.options ?? {} }),
    });
  } catch (error) {
    throw new ToolchainError(`the hosted toolchain at ${base} is unreachable (${(error as Error).message}); start it with \`npm run toolchain\``);
  }
  const body = (await response.json().catch(() => ({}))) as { ok?: boolean; id?: string; uart?: string; elf?: string; log?: string; error?: string };
  if (!response.ok || !body.id || !body.uart || !body.elf) {
    throw new ToolchainError(`the hosted toolchain could not start a virtual board: ${body.error ?? `HTTP ${response.status}`}`, body.log ?? '');
  }
  const wsUrl = `${base.replace(/^http/, 'ws')}${body.uart}`;
  const transport = WebSocketImpl ? await connectWebSocket(wsUrl, WebSocketImpl) : await connectWebSocket(wsUrl);
  const id = body.id;
  return {
    transport,
    elf: fromBase64(body.elf),
    log: body.log ?? '',
    async stop() {
      await transport.close();
      await fetch(`${base}/boards/${id}`, { method: 'DELETE' }).catch(() => undefined);
    },
  };
}

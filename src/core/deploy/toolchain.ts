// Toolchains behind one interface: `local` (spawns arm-none-eabi-gcc; toolchain-local.node.ts), `hosted`
// (the HTTP service in server/, for browsers without a compiler) and `wasm` (@yowasp/clang in the browser
// or Node, wasm32 output only). All build the plan from firmware-build.ts, so their outputs agree.
import { MoteError, UnsupportedError } from '../base/errors';
import { planFirmwareBuild, type FirmwareBuildRequest } from './firmware-build';
import type { ToolchainKind } from './toolchains';

export interface BuildOutput {
  /** Output files by name: firmware.elf / firmware.bin / firmware.wasm. */
  files: Record<string, Uint8Array>;
  /** Compiler messages (warnings), for people. */
  log: string;
  durationMs: number;
}

export interface Toolchain {
  readonly kind: Exclude<ToolchainKind, 'host-cc'>;
  build(request: FirmwareBuildRequest, options?: { signal?: AbortSignal }): Promise<BuildOutput>;
}

/** The compiler rejected the sources or could not run; `log` holds its messages. */
export class ToolchainError extends MoteError {
  constructor(message: string, readonly log = '', options?: { cause?: unknown }) {
    super(log ? `${message}\n${log.trim().split('\n').slice(0, 40).join('\n')}` : message, options);
  }
}

function toBase64(bytes: Uint8Array): string {
  let text = '';
  for (let i = 0; i < bytes.length; i += 0x8000) text += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(text);
}

export function fromBase64(text: string): Uint8Array {
  const raw = atob(text);
  const out = new Uint8Array(raw.length);
  for (let i = 0; i < raw.length; i++) out[i] = raw.charCodeAt(i);
  return out;
}

export { toBase64 };

/** Wire format of the hosted service (server/toolchain-service.ts). */
export interface HostedBuildResponse {
  ok: boolean;
  log: string;
  /** base64 */
  outputs?: Record<string, string>;
  error?: string;
  durationMs?: number;
}

/** Client of the hosted toolchain service at `baseUrl` (e.g. http://127.0.0.1:8787). */
export function createHostedToolchain(baseUrl: string, fetchImpl: typeof fetch = (...a) => fetch(...a)): Toolchain {
  return {
    kind: 'hosted',
    async build(request, options) {
      planFirmwareBuild(request); // refuse locally what the service would refuse anyway
      const started = Date.now();
      let response: Response;
      try {
        response = await fetchImpl(`${baseUrl.replace(/\/$/, '')}/build`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ board: request.board, files: request.modelFiles, options: request.options ?? {} }),
          signal: options?.signal,
        });
      } catch (error) {
        throw new ToolchainError(`the hosted toolchain at ${baseUrl} is unreachable (${(error as Error).message}); start it with \`npm run toolchain\``, '', { cause: error });
      }
      let body: HostedBuildResponse;
      try {
        body = (await response.json()) as HostedBuildResponse;
      } catch {
        throw new ToolchainError(`the hosted toolchain answered HTTP ${response.status} without a JSON body`);
      }
      if (response.status === 503) throw new ToolchainError(`the hosted toolchain is busy (${body.error ?? 'queue full'}); try again in a few seconds`);
      if (!response.ok || !body.ok || !body.outputs) throw new ToolchainError(`the hosted build failed: ${body.error ?? `HTTP ${response.status}`}`, body.log ?? '');
      const files: Record<string, Uint8Array> = {};
      for (const [name, data] of Object.entries(body.outputs)) files[name] = fromBase64(data);
      return { files, log: body.log ?? '', durationMs: Date.now() - started };
    },
  };
}

type RunClang = (args: string[], files: Record<string, unknown>, options?: unknown) => Promise<Record<string, unknown> | undefined>;
let clangLoader: Promise<RunClang> | undefined;

/** Loads @yowasp/clang on first use only (about 100 MB of wasm). */
function loadClang(): Promise<RunClang> {
  clangLoader ??= import('@yowasp/clang').then(async (m) => {
    const module = m as unknown as { runClang: RunClang; runLLVM: RunClang };
    // Fetch the LLVM resources once, quietly: runClang's own first step would log progress to the console.
    await module.runLLVM(null as unknown as string[], {}, { fetchProgress: () => undefined });
    return module.runClang;
  }).catch((error) => {
    clangLoader = undefined;
    throw new ToolchainError(`the in-browser compiler (@yowasp/clang) could not be loaded: ${(error as Error).message}`, '', { cause: error });
  });
  return clangLoader;
}

/** Fetches the in-browser compiler now (once), so a later build needs no network: the app's "fetch ahead". */
export async function preloadWasmCompiler(): Promise<void> {
  await loadClang();
}

/** clang compiled to WebAssembly: builds the `wasm` board only (no Arm/RISC-V code generator inside). */
export function createWasmToolchain(): Toolchain {
  return {
    kind: 'wasm',
    async build(request) {
      if (request.board !== 'wasm') throw new UnsupportedError(`the in-browser toolchain builds only the wasm board; build ${request.board} with the local or hosted toolchain`);
      const plan = planFirmwareBuild(request);
      const runClang = await loadClang();
      const started = Date.now();
      const tree: Record<string, unknown> = {};
      for (const [path, content] of Object.entries(plan.files)) {
        const parts = path.split('/');
        let node = tree;
        for (const part of parts.slice(0, -1)) node = (node[part] ??= {}) as Record<string, unknown>;
        node[parts[parts.length - 1]] = content;
      }
      let log = '';
      const decoder = new TextDecoder();
      const collect = (bytes: Uint8Array | null) => { if (bytes) log += decoder.decode(bytes); };
      let out: Record<string, unknown> | undefined;
      try {
        out = await runClang(['clang', ...plan.args], tree, { stdout: collect, stderr: collect, decodeASCII: false, fetchProgress: () => undefined });
      } catch (error) {
        throw new ToolchainError('clang (wasm) could not compile the firmware', log || (error as Error).message, { cause: error });
      }
      const wasm = out?.[plan.output];
      if (!(wasm instanceof Uint8Array)) throw new ToolchainError('clang (wasm) produced no firmware.wasm', log);
      return { files: { [plan.output]: wasm }, log, durationMs: Date.now() - started };
    },
  };
}

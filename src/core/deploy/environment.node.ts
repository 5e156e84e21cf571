// Node's board environment (the CLI, tests, bench): the host C compiler, arm-none-eabi-gcc, clang-as-Wasm
// and optionally the hosted service as toolchains; a host process, QEMU, serial devices, the in-thread
// Wasm board and the in-thread rp2040js Pico as transports; runtime executors (the runtime route) that run
// the prebuilt Mote Runtime images of runtime/prebuilt/. Which board uses which is the board's own declaration (board.ts).
import { readFile } from 'node:fs/promises';
import { openSerialDevice } from '../evaluation/transport-serial.node';
import { TransportError } from '../evaluation/transport';
import { explainSerialOpen } from './serial-failures';
import type { BoardEnvironment, BatchRunner, RuntimeExecutors, StreamConnector } from './environment';
import { EmulatorError, startQemuBoard } from './qemu.node';
import { rp2040jsConnector } from './targets/rp2040/rp2040js-connector';
import { buildLinux, hostModelSize, runLinuxHarness } from './targets/linux-build.node';
import { createHostedToolchain, createWasmToolchain } from './toolchain';
import { createLocalToolchain } from './toolchain-local.node';
import { wasmThreadConnector } from './wasm-board';
import { wasmRuntimeExecutor } from './wasm-runtime-board';
import { qemuRuntimeExecutor } from './qemu-runtime-board.node';
import { streamRuntimeExecutor } from './stream-runtime-board';
import { rp2040jsRuntimeExecutor } from './targets/rp2040/rp2040js-runtime';
import { RuntimeImageError } from '../runtime/wasm-runtime';

const processRunner: BatchRunner = {
  kind: 'process',
  async run({ dir, compiler, inputs }) {
    const exe = await buildLinux(dir, { cc: compiler.cc });
    return runLinuxHarness(exe, inputs);
  },
  size: ({ dir, compiler }) => hostModelSize(dir, compiler.cc),
};

const qemuConnector: StreamConnector = {
  kind: 'qemu',
  async open({ board, build, evaluator }) {
    const exact = board.exactInstructions?.(evaluator as never) ?? false;
    if (!board.qemu) throw new EmulatorError(`${board.kind} declares no QEMU machine, so the qemu transport cannot start it`);
    const emulator = await startQemuBoard(board.qemu, build.files['firmware.elf'], { exactInstructions: exact });
    return { transport: emulator.transport, stop: emulator.stop, instructionCounts: exact ? () => emulator.instructionCounts() : undefined, cycleEstimates: exact ? () => emulator.cycleEstimates() : undefined };
  },
};

const serialConnector: StreamConnector = {
  kind: 'serial',
  async open({ board, evaluator }) {
    const settings = board.serial?.(evaluator as never) ?? { dev: '/dev/ttyUSB0', baudrate: 921600 };
    const port = await openSerialDevice(settings.dev, settings.baudrate, { timeoutMs: board.timeoutSeconds(evaluator as never) * 1000 }).catch((error: unknown) => {
      throw new TransportError(`${board.kind}: ${explainSerialOpen(error, settings.dev, 'deploy.evaluator.params.dev')}`, { cause: error });
    });
    return { transport: port, stop: () => port.close() };
  },
};

/** The prebuilt Mote Runtime image `file` of runtime/prebuilt/ (committed, so no cross compiler is needed). */
export async function prebuiltRuntimeImage(file: string): Promise<Uint8Array> {
  if (!/^[\w.-]+$/.test(file)) throw new RuntimeImageError(`'${file}' is not a file name under runtime/prebuilt/`);
  const url = new URL(`../../../runtime/prebuilt/${file}`, import.meta.url);
  try {
    return new Uint8Array(await readFile(url));
  } catch (error) {
    throw new RuntimeImageError(`the Mote Runtime image runtime/prebuilt/${file} could not be read (${(error as Error).message}); it is committed with Mote, so restore it (git checkout runtime/prebuilt) or rebuild it (node scripts/build-wasm-runtime.mjs)`, { cause: error });
  }
}

/** The runtime route's executors here, one line per transport kind that can run a board's runtime image. */
const runtimeExecutors: RuntimeExecutors = {
  'wasm-thread': wasmRuntimeExecutor('wasm-thread', prebuiltRuntimeImage),
  qemu: qemuRuntimeExecutor(prebuiltRuntimeImage),
  // A physical board that already runs its runtime (mote flash TARGET): the blob goes over its serial port.
  serial: streamRuntimeExecutor('serial'),
  rp2040js: rp2040jsRuntimeExecutor(prebuiltRuntimeImage),
};

export interface NodeBoardEnvironmentOptions {
  /** The hosted toolchain's address, to build with it when no local compiler fits. */
  hostedUrl?: string;
}

export function nodeBoardEnvironment(options: NodeBoardEnvironmentOptions = {}): BoardEnvironment {
  return {
    where: 'node',
    toolchains: {
      'host-cc': { kind: 'host-cc', cc: process.env.CC ?? 'cc' },
      local: createLocalToolchain(),
      wasm: createWasmToolchain(),
      ...(options.hostedUrl ? { hosted: createHostedToolchain(options.hostedUrl) } : {}),
    },
    transports: { process: processRunner, qemu: qemuConnector, serial: serialConnector, 'wasm-thread': wasmThreadConnector, rp2040js: rp2040jsConnector },
    runtimes: runtimeExecutors,
  };
}

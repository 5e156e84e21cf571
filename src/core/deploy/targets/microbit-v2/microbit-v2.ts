// Mote's `MicrobitV2` target: the BBC micro:bit v2 (nRF52833, Cortex-M4F at 64 MHz, 512 KiB flash, 128 KiB
// RAM). Mote's own bare-metal firmware (firmware-templates/boards/microbit-v2: HFXO, UARTE0 with EasyDMA on
// P0.06/P1.08 to the interface chip, DWT cycles) is flashed once through the board's DAPLink interface chip
// — over WebUSB with @microbit/microbit-connection in the app (src/devices/microbit-flasher.ts), or by
// copying the .hex onto its MICROBIT drive from the CLI — and evaluated over DAPLink's USB serial port
// (protocol v1; models load into the runtime over the same port). Not verified on hardware here: the M4
// kernels run bit-exact on QEMU mps2-an386 (VirtualCortexM4), the nRF52 UART/clock code has no emulator
// (README, board table).
import { boolean, integer, oneOf, optional, relativePath, string, table } from '../../../base/schema';
import type { BoardKind } from '../../board';
import { evaluationProtocols, optimizationLevels } from '../../firmware-build';

const deployerParams = table({
  /** Where firmware.elf / firmware.bin go (default out/deploy/MicrobitV2). */
  outdir: optional(relativePath()),
  optimize: oneOf(optimizationLevels, 'O3'),
});

const evaluatorParams = table({
  /** DAPLink's serial device; a glob in the last component is allowed (waits up to `timeout` for it to appear). */
  dev: string('/dev/ttyACM0'),
  /** The UARTE's rates (board.c); the prebuilt runtime runs at 115200. */
  baudrate: integer(115200, { min: 9600, max: 1_000_000 }),
  /** Seconds. */
  timeout: integer(30, { min: 1 }),
  shuffle: boolean(false),
  protocol: oneOf(evaluationProtocols, 'mote-v1'),
});

type Deployer = ReturnType<typeof deployerParams.parse>;
type Evaluator = ReturnType<typeof evaluatorParams.parse>;

export const microbitV2Target = {
  kind: 'MicrobitV2',
  title: 'BBC micro:bit v2',
  summary: 'BBC micro:bit v2 (nRF52833, Cortex-M4F 64 MHz): flashed through its DAPLink interface chip (WebUSB, or the .hex onto the MICROBIT drive), evaluation over DAPLink\'s USB serial port',
  params: deployerParams,
  evaluatorParams,
  build: {
    kind: 'firmware',
    firmware: 'microbit-v2',
    toolchains: ['local', 'hosted'],
    options: (deployer: Deployer, evaluator: Evaluator) => ({ protocol: evaluator.protocol, optimize: deployer.optimize, baudrate: evaluator.baudrate }),
  },
  transports: ['serial', 'webserial'],
  // Runtime route (converter MoteRuntime): the prebuilt image as Intel HEX (32-byte records, DAPLink's limit); buffers as runtime/ports/microbit-v2.
  runtime: { image: 'mote-runtime-microbit-v2.hex', dialect: 'cortex-m', holds: { blobBytes: 48 * 1024, arenaBytes: 40 * 1024 } },
  // DAPLink (0d28:0204) takes the image over WebUSB (its vendor flash commands); its MICROBIT drive always holds DETAILS.TXT (the CLI copies onto it).
  install: { method: 'daplink-webusb', file: 'firmware.bin', driveMarker: 'DETAILS.TXT', steps: 'plug the micro:bit in by its USB port (it shows a drive named MICROBIT); a micro:bit v1 cannot run this image' },
  reports: { size: 'elf', counter: 'cycles', latency: true, clockHz: () => 64e6 },
  capacity: { flashBytes: 512 * 1024, ramBytes: 128 * 1024, clockHz: 64e6 },
  acceptsOptimize: true,
  protocol: (evaluator: Evaluator) => evaluator.protocol,
  serial: (evaluator: Evaluator) => ({ dev: evaluator.dev, baudrate: evaluator.baudrate }),
  timeoutSeconds: (evaluator: Evaluator) => evaluator.timeout,
  shuffle: (evaluator: Evaluator) => evaluator.shuffle,
} satisfies BoardKind<Deployer, Evaluator>;

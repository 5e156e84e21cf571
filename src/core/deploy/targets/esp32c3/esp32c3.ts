// Mote's `ESP32C3` target: bare-metal RV32IMC firmware (firmware-templates/boards/esp32c3: watchdogs off,
// UART0 + USB-Serial-JTAG, mpccr cycles) built with riscv64-unknown-elf-gcc + picolibc, packaged as an ESP
// app image for flash offset 0 (installed once with esptool-js from the browser or `mote flash`), then
// evaluated over the same serial port. The kernels are the ones VirtualRV32 checks bit-exactly on QEMU;
// the board itself is not verified here (README board table).
import { boolean, integer, oneOf, optional, relativePath, string, table } from '../../../base/schema';
import type { BoardKind } from '../../board';
import { evaluationProtocols, optimizationLevels } from '../../firmware-build';
import { ESP32C3_IMAGE_FILE, ESP32C3_IMAGE_OFFSET, packageEsp32c3Image } from './package-image';

const deployerParams = table({
  /** Where firmware.elf / firmware.esp32c3.bin go (default out/deploy/ESP32C3). */
  outdir: optional(relativePath()),
  optimize: oneOf(optimizationLevels, 'O3'),
});

const evaluatorParams = table({
  /** Serial device (a devkit's CP210x/CH340 bridge, or the C3's own USB-Serial-JTAG port). */
  dev: string('/dev/ttyACM0'),
  /** UART0 runs at the ROM's 115200 baud; USB-Serial-JTAG ignores the rate. */
  baudrate: integer(115200, { min: 115200, max: 115200 }),
  timeout: integer(30, { min: 1 }),
  shuffle: boolean(false),
  protocol: oneOf(evaluationProtocols, 'mote-v1'),
});

type Deployer = ReturnType<typeof deployerParams.parse>;
type Evaluator = ReturnType<typeof evaluatorParams.parse>;

export const esp32c3Target = {
  kind: 'ESP32C3',
  title: 'ESP32-C3 devkit',
  summary: 'ESP32-C3 (RV32IMC): ESP app image flashed with esptool-js, evaluation over the same serial port',
  params: deployerParams,
  evaluatorParams,
  build: {
    kind: 'firmware',
    firmware: 'esp32c3',
    toolchains: ['local', 'hosted'],
    options: (deployer: Deployer, evaluator: Evaluator) => ({ protocol: evaluator.protocol, optimize: deployer.optimize }),
    package: packageEsp32c3Image,
  },
  transports: ['serial', 'webserial'],
  // Runtime route (converter MoteRuntime): the prebuilt image's app image, flashed once the same way (install); buffers as runtime/ports/esp32c3.
  runtime: { image: 'mote-runtime-esp32c3.bin', dialect: 'c99', holds: { blobBytes: 128 * 1024, arenaBytes: 72 * 1024 } },
  install: {
    method: 'esptool', file: ESP32C3_IMAGE_FILE, address: ESP32C3_IMAGE_OFFSET,
    steps: 'plug the board in; if it is not found, hold BOOT, press and release RESET, then release BOOT',
  },
  // Cycles from mpccr; the clock the ROM leaves is unverified, so no latency is claimed.
  reports: { size: 'elf', counter: 'cycles', latency: false, clockHz: () => null },
  // The whole image lives in SRAM below the ROM's reserved top (0x3FCDC710): IRAM 128 KiB + DRAM 241 KiB.
  capacity: { flashBytes: 128 * 1024 + (0x3fcdc710 - 0x3fca0000), ramBytes: 0x3fcdc710 - 0x3fca0000, clockHz: 160e6 },
  acceptsOptimize: false,
  protocol: (evaluator: Evaluator) => evaluator.protocol,
  serial: (evaluator: Evaluator) => ({ dev: evaluator.dev, baudrate: evaluator.baudrate }),
  timeoutSeconds: (evaluator: Evaluator) => evaluator.timeout,
  shuffle: (evaluator: Evaluator) => evaluator.shuffle,
} satisfies BoardKind<Deployer, Evaluator>;

// Mote's `RaspberryPiPico` target: the same RP2040 firmware as VirtualPico, for a real Pico. It is
// installed once by copying firmware.uf2 onto the RPI-RP2 drive (hold BOOTSEL while plugging in, or the
// 1200-baud touch of a Pico already running the Mote Runtime), then evaluated over UART0 (GP0 TX, GP1 RX)
// through a USB-UART adapter such as the Raspberry Pi Debug Probe: the generated-C firmware does not drive the
// Pico's own USB port; the Mote Runtime (runtime route) also speaks CDC-ACM on it. Not verified on hardware
// here (README, board table).
import { boolean, integer, oneOf, optional, relativePath, string, table } from '../../../base/schema';
import type { BoardKind } from '../../board';
import { evaluationProtocols, optimizationLevels } from '../../firmware-build';
import { PICO_FLASH_BYTES, RP2040_SRAM_BYTES } from './memory-map';
import { packageRp2040Image } from './package-image';

const deployerParams = table({
  /** Where firmware.elf / firmware.bin / firmware.uf2 go (default out/deploy/RaspberryPiPico). */
  outdir: optional(relativePath()),
  optimize: oneOf(optimizationLevels, 'O3'),
});

const evaluatorParams = table({
  /** Serial device of the USB-UART adapter on GP0/GP1; a glob in the last component is allowed. */
  dev: string('/dev/ttyACM0'),
  baudrate: integer(115200, { min: 1200, max: 3_000_000 }),
  /** Seconds. */
  timeout: integer(30, { min: 1 }),
  shuffle: boolean(false),
  protocol: oneOf(evaluationProtocols, 'mote-v1'),
});

type Deployer = ReturnType<typeof deployerParams.parse>;
type Evaluator = ReturnType<typeof evaluatorParams.parse>;

export const raspberryPiPicoTarget = {
  kind: 'RaspberryPiPico',
  title: 'Raspberry Pi Pico (RP2040)',
  summary: 'Raspberry Pi Pico (RP2040, Cortex-M0+ 125 MHz): UF2 for the RPI-RP2 drive, evaluation over UART0 through a USB-UART adapter',
  params: deployerParams,
  evaluatorParams,
  build: {
    kind: 'firmware',
    firmware: 'rp2040',
    toolchains: ['local', 'hosted'],
    options: (deployer: Deployer, evaluator: Evaluator) => ({ protocol: evaluator.protocol, optimize: deployer.optimize, baudrate: evaluator.baudrate }),
    package: packageRp2040Image,
  },
  transports: ['serial', 'webserial'],
  // Runtime route (converter MoteRuntime): VirtualPico's runtime ELF as UF2 for the drive, models then over UART0; buffers as runtime/ports/rp2040.
  runtime: { image: 'mote-runtime-rp2040.uf2', dialect: 'c99', holds: { blobBytes: 112 * 1024, arenaBytes: 80 * 1024 } },
  // The bootrom's drive always holds INFO_UF2.TXT (pico-bootrom virtual_disk.c). A Pico already running the
  // Mote Runtime reboots into that drive on the 1200-baud touch of its USB port (mote_rt_usb.c: the bootrom's
  // reset_usb_boot, verified in rp2040js with a table-only bootrom; the real reboot needs a Pico); BOOTSEL
  // while plugging in stays the way in for a Pico with other firmware or none.
  install: { method: 'uf2-drive', file: 'firmware.uf2', driveMarker: 'INFO_UF2.TXT', steps: 'hold the BOOTSEL button while plugging the Pico in: a drive named RPI-RP2 appears', touchBaud: 1200 },
  reports: { size: 'elf', counter: 'cycles', latency: true, clockHz: () => 125e6 },
  capacity: { flashBytes: PICO_FLASH_BYTES, ramBytes: RP2040_SRAM_BYTES, clockHz: 125e6 },
  acceptsOptimize: false,
  protocol: (evaluator: Evaluator) => evaluator.protocol,
  serial: (evaluator: Evaluator) => ({ dev: evaluator.dev, baudrate: evaluator.baudrate }),
  timeoutSeconds: (evaluator: Evaluator) => evaluator.timeout,
  shuffle: (evaluator: Evaluator) => evaluator.shuffle,
} satisfies BoardKind<Deployer, Evaluator>;

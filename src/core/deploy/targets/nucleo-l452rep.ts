// Qualia's `NucleoL452REP` target (QualiaCodeGen deployer): Mote builds its own bare-metal firmware
// (firmware-templates/boards/nucleo-l452rep: 80 MHz HSI16+PLL or 48 MHz, USART2 to the ST-LINK VCP, DWT
// cycles) into .elf and .bin — the .bin is what the user drops onto the board's USB drive — and evaluates
// it over `deploy.evaluator.params.dev`. On the runtime route the prebuilt Mote Runtime .hex goes onto the
// drive once and models then load over the ST-LINK's serial port. Params follow Qualia's deployer and evaluator (qualia-reference
// §5.5, §6); `protocol` is Mote's addition (Qualia-flashed boards speak 'qualia').
import { boolean, integer, oneOf, optional, relativePath, string, table } from '../../base/schema';
import type { BoardKind } from '../board';
import { evaluationProtocols } from '../firmware-build';

const deployerParams = table({
  /** Qualia: the CMake example project; Mote builds its own template and ignores it. */
  projectdir: optional(string()),
  /** Where firmware.elf / firmware.bin go (default out/deploy/NucleoL452REP). */
  outdir: optional(relativePath()),
  /** Run the core at 48 MHz instead of 80 MHz. */
  core_clock_48mhz: boolean(false),
});

const evaluatorParams = table({
  /** Serial device; a glob in the last component is allowed (waits up to `timeout` for it to appear). */
  dev: string('/dev/ttyUSB0'),
  baudrate: integer(921600, { min: 1200, max: 8_000_000 }),
  /** Seconds. */
  timeout: integer(30, { min: 1 }),
  shuffle: boolean(false),
  /** Qualia's host-evaluator parallelism; accepted for compatibility, a board evaluates one stream. */
  chunks: optional(integer(undefined, { min: 1 })),
  protocol: oneOf(evaluationProtocols, 'mote-v1'),
});

type Deployer = ReturnType<typeof deployerParams.parse>;
type Evaluator = ReturnType<typeof evaluatorParams.parse>;

export const nucleoL452REPTarget = {
  kind: 'NucleoL452REP',
  title: 'ST Nucleo-L452RE-P',
  summary: 'ST Nucleo-L452RE-P (STM32L452RE, Cortex-M4F 80 MHz): firmware copied onto its ST-LINK drive (the Mote Runtime as .hex, generated-C firmware as .bin), evaluation over the ST-LINK USB serial',
  params: deployerParams,
  evaluatorParams,
  build: {
    kind: 'firmware',
    firmware: 'nucleo-l452rep',
    toolchains: ['local', 'hosted'],
    options: (deployer: Deployer, evaluator: Evaluator) => ({ protocol: evaluator.protocol, coreClock48MHz: deployer.core_clock_48mhz, baudrate: evaluator.baudrate }),
  },
  transports: ['serial', 'webserial'],
  // Runtime route (converter MoteRuntime): the prebuilt image as Intel HEX for the drive; buffers as runtime/ports/nucleo-l452rep.
  runtime: { image: 'mote-runtime-nucleo-l452rep.hex', dialect: 'cortex-m', holds: { blobBytes: 72 * 1024, arenaBytes: 48 * 1024 } },
  // The ST-LINK's NODE_L452RE drive programs a .bin or .hex copied onto it and resets the board (ST community, RN00093).
  // The ST-LINK's drive always holds DETAILS.TXT (ST-LINK/V2-1 mass storage: DETAILS.TXT, MBED.HTM).
  install: { method: 'file-drive', file: 'firmware.bin', driveMarker: 'DETAILS.TXT', steps: 'plug the Nucleo in by its ST-LINK USB port: a drive named NODE_L452RE appears' },
  // STM32L452RE: 512 KiB flash, 160 KiB SRAM (the template's link.ld); DWT cycles at the core clock.
  reports: { size: 'elf', counter: 'cycles', latency: true, clockHz: (deployer: Deployer) => (deployer.core_clock_48mhz ? 48e6 : 80e6) },
  capacity: { flashBytes: 512 * 1024, ramBytes: 160 * 1024, clockHz: 80e6 },
  acceptsOptimize: true,
  protocol: (evaluator: Evaluator) => evaluator.protocol,
  serial: (evaluator: Evaluator) => ({ dev: evaluator.dev, baudrate: evaluator.baudrate }),
  timeoutSeconds: (evaluator: Evaluator) => evaluator.timeout,
  shuffle: (evaluator: Evaluator) => evaluator.shuffle,
} satisfies BoardKind<Deployer, Evaluator>;

// Mote's `VirtualPico` target: the Raspberry Pi Pico firmware (firmware-templates/boards/rp2040: own boot2,
// 125 MHz, UART0, SysTick) built with arm-none-eabi-gcc for the Cortex-M0+, packaged as the sealed image
// and UF2 a Pico is given, and booted in rp2040js (a JavaScript RP2040) in this thread — Node or a browser
// worker — where protocol v1 runs over UART0. Cycles are rp2040js's cycle model, an estimate of silicon.
import { boolean, integer, oneOf, optional, relativePath, table } from '../../../base/schema';
import type { BoardKind } from '../../board';
import { evaluationProtocols, optimizationLevels } from '../../firmware-build';
import { PICO_FLASH_BYTES, RP2040_SRAM_BYTES } from './memory-map';
import { packageRp2040Image } from './package-image';

const deployerParams = table({
  /** Where firmware.elf / firmware.bin / firmware.uf2 go (default out/deploy/VirtualPico). */
  outdir: optional(relativePath()),
  optimize: oneOf(optimizationLevels, 'O3'),
});

const evaluatorParams = table({
  /** Seconds to wait for the board before giving up. */
  timeout: integer(30, { min: 1 }),
  shuffle: boolean(false),
  protocol: oneOf(evaluationProtocols, 'mote-v1'),
});

type Deployer = ReturnType<typeof deployerParams.parse>;
type Evaluator = ReturnType<typeof evaluatorParams.parse>;

export const virtualPicoTarget = {
  kind: 'VirtualPico',
  title: 'Virtual Raspberry Pi Pico (rp2040js)',
  summary: 'Raspberry Pi Pico firmware (Cortex-M0+, 125 MHz) booted from its image in rp2040js: bit-exact check, SysTick cycles, ROM/RAM',
  params: deployerParams,
  evaluatorParams,
  build: {
    kind: 'firmware',
    firmware: 'rp2040',
    toolchains: ['local', 'hosted'],
    options: (deployer: Deployer, evaluator: Evaluator) => ({ protocol: evaluator.protocol, optimize: deployer.optimize }),
    package: packageRp2040Image,
  },
  transports: ['rp2040js'],
  // Runtime route (converter MoteRuntime): the prebuilt image (scripts/build-runtime-images.mjs) in rp2040js,
  // the model blob loaded over UART0 (protocol 2); portable kernels (the M0+ has no DSP instructions).
  // holds: the image's own blob and arena buffers (runtime/ports/rp2040/mote_rt_port.h), so a model that does
  // not fit is refused with both sizes before the emulated board is started.
  runtime: { image: 'mote-runtime-rp2040.elf', dialect: 'c99', holds: { blobBytes: 112 * 1024, arenaBytes: 80 * 1024 } },
  // The counter is rp2040js's cycle estimate at 125 MHz, so no latency is claimed from it.
  reports: { size: 'elf', counter: 'cycles', latency: false, clockHz: () => 125e6 },
  capacity: { flashBytes: PICO_FLASH_BYTES, ramBytes: RP2040_SRAM_BYTES, clockHz: 125e6 },
  acceptsOptimize: false,
  protocol: (evaluator: Evaluator) => evaluator.protocol,
  timeoutSeconds: (evaluator: Evaluator) => evaluator.timeout,
  shuffle: (evaluator: Evaluator) => evaluator.shuffle,
} satisfies BoardKind<Deployer, Evaluator>;

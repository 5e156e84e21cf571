// What it takes to build evaluation firmware for one board: the template sources, the generated model
// files, and a fixed compiler command line. Pure data, shared by the local toolchain (spawns gcc), the
// hosted toolchain service (server/) and the in-browser Wasm toolchain, so all three build the same thing.
// User input never reaches the command line except as validated file names and whitelisted numbers.
import { ConfigError, InputFileError } from '../base/errors';
import { firmwareTemplateFiles } from './firmware-sources.generated';

export const firmwareBoards = ['virtual-cortex-m4', 'nucleo-l452rep', 'wasm', 'virtual-rv32', 'rp2040', 'esp32c3', 'microbit-v2'] as const;
export type FirmwareBoard = (typeof firmwareBoards)[number];
export const evaluationProtocols = ['mote-v1', 'qualia'] as const;
export type EvaluationProtocol = (typeof evaluationProtocols)[number];
export const optimizationLevels = ['O2', 'O3', 'Os', 'Ofast'] as const;
export type OptimizationLevel = (typeof optimizationLevels)[number];

export interface FirmwareBuildOptions {
  protocol?: EvaluationProtocol;
  /** USART baud rate (Nucleo); Qualia's evaluator default is 921600. */
  baudrate?: number;
  /** Nucleo: run the core at 48 MHz instead of 80 MHz (Qualia's `core_clock_48mhz`). */
  coreClock48MHz?: boolean;
  optimize?: OptimizationLevel;
}

export interface FirmwareBuildRequest {
  board: FirmwareBoard;
  /** Generated model files by relative path (`model.c`, `model.h`, `include/…`, `weights/…`). */
  modelFiles: Record<string, string>;
  options?: FirmwareBuildOptions;
}

export interface FirmwareBuildPlan {
  board: FirmwareBoard;
  /** Every source the compiler reads, by relative path inside the build directory. */
  files: Record<string, string>;
  /** The compiler program: fixed per board (boardCompilers below), never taken from a request. */
  compiler: FirmwareCompiler;
  /** Arguments, relative to the build directory. */
  args: string[];
  /** Main output: firmware.elf (Cortex-M) or firmware.wasm. */
  output: string;
  /** Also produce a raw binary (what a user drops onto the Nucleo's USB drive) with `objcopy`. */
  binary?: string;
  /** The objcopy of the compiler's binutils, when `binary` is set. */
  objcopy?: 'arm-none-eabi-objcopy' | 'riscv64-unknown-elf-objcopy';
}

export type FirmwareCompiler = 'arm-none-eabi-gcc' | 'riscv64-unknown-elf-gcc' | 'clang';

/** Limits shared with the hosted service: generous for real generated models, small enough to refuse abuse. */
export const MAX_MODEL_FILES = 256;
export const MAX_MODEL_FILE_BYTES = 8 * 1024 * 1024;
export const MAX_MODEL_TOTAL_BYTES = 24 * 1024 * 1024;

const SEGMENT = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,63}$/;
const ALLOWED_EXTENSIONS = ['.c', '.h', '.inc'];

/**
 * Checks a model file name: relative, at most 4 segments of letters, digits, `_`, `.`, `-` (no segment
 * starting with `.` or `-`, so neither `..` nor something gcc would read as a flag), and a known extension.
 */
export function checkModelFileName(name: string): void {
  const segments = name.split('/');
  const ok = segments.length <= 4 && segments.every((s) => SEGMENT.test(s) && !s.includes('..')) && ALLOWED_EXTENSIONS.some((e) => name.endsWith(e));
  if (!ok) {
    throw new InputFileError(`model file name ${JSON.stringify(name.slice(0, 80))} is not allowed: use relative paths of letters, digits, '_', '.', '-' (not starting with '.' or '-'), at most 4 levels, ending in ${ALLOWED_EXTENSIONS.join(', ')}`);
  }
}

export function checkBuildRequest(request: FirmwareBuildRequest): void {
  if (!(firmwareBoards as readonly string[]).includes(request.board)) {
    throw new ConfigError(`unknown firmware board ${JSON.stringify(request.board)}; expected one of ${firmwareBoards.join(', ')}`);
  }
  const names = Object.keys(request.modelFiles);
  if (names.length === 0 || names.length > MAX_MODEL_FILES) throw new InputFileError(`a firmware build needs 1 to ${MAX_MODEL_FILES} model files, got ${names.length}`);
  let total = 0;
  for (const name of names) {
    checkModelFileName(name);
    const content = request.modelFiles[name];
    if (typeof content !== 'string') throw new InputFileError(`model file ${name} must be text`);
    if (content.length > MAX_MODEL_FILE_BYTES) throw new InputFileError(`model file ${name} is ${content.length} bytes; the limit is ${MAX_MODEL_FILE_BYTES}`);
    total += content.length;
  }
  if (total > MAX_MODEL_TOTAL_BYTES) throw new InputFileError(`model files total ${total} bytes; the limit is ${MAX_MODEL_TOTAL_BYTES}`);
  if (!('model.h' in request.modelFiles) && !('include/model.h' in request.modelFiles)) {
    throw new InputFileError('the model files have no model.h (nor include/model.h); pass the whole generated model directory (docs/codegen-abi.md)');
  }
  const o = request.options ?? {};
  if (o.protocol !== undefined && !(evaluationProtocols as readonly string[]).includes(o.protocol)) throw new ConfigError(`unknown evaluation protocol ${JSON.stringify(o.protocol)}; expected ${evaluationProtocols.join(' or ')}`);
  if (o.optimize !== undefined && !(optimizationLevels as readonly string[]).includes(o.optimize)) throw new ConfigError(`unknown optimization level ${JSON.stringify(o.optimize)}; expected one of ${optimizationLevels.join(', ')}`);
  if (o.baudrate !== undefined && (!Number.isInteger(o.baudrate) || o.baudrate < 1200 || o.baudrate > 8_000_000)) throw new ConfigError(`baudrate ${o.baudrate} is not an integer between 1200 and 8000000`);
  if (o.coreClock48MHz !== undefined && typeof o.coreClock48MHz !== 'boolean') throw new ConfigError('core_clock_48mhz must be true or false');
}

function templateFiles(prefixes: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [path, content] of Object.entries(firmwareTemplateFiles)) {
    if (prefixes.some((p) => path.startsWith(p))) out[`template/${path}`] = content;
  }
  return out;
}

// How each firmware board is compiled: one profile per board. Bare-metal profiles link the template's
// link.ld with the C library of their cross compiler; the Wasm profile has no libc and no entry point.
interface BoardCompiler {
  compiler: FirmwareCompiler;
  /** Target flags first on the command line. */
  target: readonly string[];
  /** C library and linker flags after the includes and defines. */
  link(boardDir: string): string[];
  /** Whether the common bare-metal entry (mote_main.c) is compiled in. */
  bareMetal: boolean;
  output: string;
  binary?: { file: string; objcopy: NonNullable<FirmwareBuildPlan['objcopy']> };
}

const CORTEX_M4_FLAGS = ['-mcpu=cortex-m4', '-mfpu=fpv4-sp-d16', '-mfloat-abi=hard', '-mthumb'];
const newlibCortexM = (boardDir: string) => ['--specs=nano.specs', '--specs=nosys.specs', '-nostartfiles', '-Ltemplate/common', `-T${boardDir}/link.ld`, '-Wl,--gc-sections'];
const cortexM4: BoardCompiler = { compiler: 'arm-none-eabi-gcc', target: CORTEX_M4_FLAGS, link: newlibCortexM, bareMetal: true, output: 'firmware.elf' };
const CORTEX_M0PLUS_FLAGS = ['-mcpu=cortex-m0plus', '-mthumb'];
// rv32imc as the ESP32-C3 runs it. `-misa-spec=2.2` keeps CSR instructions in the base ISA for Debian's
// gcc 12, so multilib resolves to rv32im/ilp32 rather than the rv64 default (boards-reference.md §1.10).
const RV32IMC_FLAGS = ['-march=rv32imc', '-misa-spec=2.2', '-mabi=ilp32'];
const picolibcRv32 = (boardDir: string) => ['--specs=picolibc.specs', '-nostartfiles', `-T${boardDir}/link.ld`, '-Wl,--gc-sections'];

const boardCompilers: Record<FirmwareBoard, BoardCompiler> = {
  'virtual-cortex-m4': cortexM4,
  'nucleo-l452rep': { ...cortexM4, binary: { file: 'firmware.bin', objcopy: 'arm-none-eabi-objcopy' } },
  'microbit-v2': { ...cortexM4, binary: { file: 'firmware.bin', objcopy: 'arm-none-eabi-objcopy' } },
  // The RP2040's raw image (boot2 first) is sealed and wrapped as UF2 after linking (targets/rp2040).
  rp2040: { compiler: 'arm-none-eabi-gcc', target: CORTEX_M0PLUS_FLAGS, link: newlibCortexM, bareMetal: true, output: 'firmware.elf', binary: { file: 'firmware.bin', objcopy: 'arm-none-eabi-objcopy' } },
  'virtual-rv32': { compiler: 'riscv64-unknown-elf-gcc', target: RV32IMC_FLAGS, link: picolibcRv32, bareMetal: true, output: 'firmware.elf' },
  // The C3's ESP app image is written from the ELF after linking (targets/esp32c3).
  esp32c3: { compiler: 'riscv64-unknown-elf-gcc', target: RV32IMC_FLAGS, link: picolibcRv32, bareMetal: true, output: 'firmware.elf' },
  wasm: { compiler: 'clang', target: ['--target=wasm32'], link: () => [], bareMetal: false, output: 'firmware.wasm' },
};

/** The complete, fixed build for a request (validated first). */
export function planFirmwareBuild(request: FirmwareBuildRequest): FirmwareBuildPlan {
  checkBuildRequest(request);
  const options = request.options ?? {};
  const protocol = options.protocol ?? 'mote-v1';
  const profile = boardCompilers[request.board];
  const boardDir = `template/boards/${request.board}`;
  const files: Record<string, string> = { ...templateFiles(['common/', `boards/${request.board}/`]) };
  for (const [name, content] of Object.entries(request.modelFiles)) files[`model/${name}`] = content;
  const modelSources = 'model.c' in request.modelFiles
    ? ['model/model.c']
    : Object.keys(request.modelFiles).filter((n) => n.endsWith('.c') && !n.includes('/')).map((n) => `model/${n}`);
  if (modelSources.length === 0) throw new InputFileError('the model files have no model.c to compile');
  const includeDirs = ['template/common', boardDir, 'model', ...('include/model.h' in request.modelFiles ? ['model/include'] : [])];
  // Board assembly (.S: the RP2040's boot2) is compiled like C, through the preprocessor.
  const templateSources = Object.keys(files).filter((p) => p.startsWith('template/') && (p.endsWith('.c') || p.endsWith('.S')) && (p.startsWith('template/common/') || p.startsWith(boardDir + '/')));
  // mote_main.c is the bare-metal entry; the Wasm board is driven from JavaScript instead.
  const sources = [...templateSources.filter((p) => profile.bareMetal || !p.endsWith('/mote_main.c')), ...modelSources];
  const defines = [
    ...(protocol === 'qualia' ? ['-DMOTE_PROTOCOL_QUALIA'] : []),
    ...(options.baudrate !== undefined ? [`-DMOTE_BAUDRATE=${options.baudrate}u`] : []),
    ...(options.coreClock48MHz ? ['-DMOTE_CORE_CLOCK_48MHZ'] : []),
  ];
  const optimize = `-${options.optimize ?? 'O3'}`;

  if (!profile.bareMetal) {
    return {
      board: request.board,
      files,
      compiler: profile.compiler,
      args: [...profile.target, optimize, '-std=c11', '-ffp-contract=off', '-nostdlib', '-ffreestanding', `-I${boardDir}/include`, ...includeDirs.map((d) => `-I${d}`), ...defines,
        '-Wl,--no-entry', '-Wl,-z,stack-size=262144', ...sources, '-o', profile.output],
      output: profile.output,
    };
  }
  return {
    board: request.board,
    files,
    compiler: profile.compiler,
    args: [...profile.target, optimize, '-g', '-std=c11', '-ffp-contract=off', '-ffunction-sections', '-fdata-sections', '-Wall', ...includeDirs.map((d) => `-I${d}`), ...defines,
      ...profile.link(boardDir), ...sources, '-o', profile.output],
    output: profile.output,
    ...(profile.binary ? { binary: profile.binary.file, objcopy: profile.binary.objcopy } : {}),
  };
}

// The toolchain registry: every compiler Mote can build with, as a descriptor (what it is, where it runs,
// what it needs). The implementations live beside it — `local` and `host-cc` spawn compilers
// (toolchain-local.node.ts, targets/linux-build.node.ts), `wasm` and `hosted` run anywhere (toolchain.ts) —
// and an environment (environment.ts) hands the engine the ones available where it runs. A board
// names the kinds it accepts (board.ts); the engine takes the first one the environment has.

export interface ToolchainInfo {
  readonly kind: string;
  readonly summary: string;
  /** The compiler in a few words, for build logs ("clang (wasm32)"). */
  readonly label: string;
  /** Where an implementation exists: 'node' (spawns programs), 'browser', or both. */
  readonly runsIn: readonly ('node' | 'browser')[];
  /** What to install or start when it is missing (shown in "not available" messages). */
  readonly needs: string;
}

/** One line per toolchain kind. */
export const toolchainKinds = {
  'host-cc': { kind: 'host-cc', label: 'cc', summary: "this computer's C compiler (cc / $CC), for the Linux host harness", runsIn: ['node'], needs: 'gcc (apt-get install gcc) or $CC' },
  local: { kind: 'local', label: 'the local cross gcc', summary: 'arm-none-eabi-gcc + newlib (Cortex-M) or riscv64-unknown-elf-gcc + picolibc (RV32) on this computer', runsIn: ['node'], needs: 'arm-none-eabi-gcc or riscv64-unknown-elf-gcc (scripts/install-system-packages.sh)' },
  wasm: { kind: 'wasm', label: 'clang (wasm32)', summary: 'clang compiled to WebAssembly (@yowasp/clang), for the wasm32 board; in the browser or Node', runsIn: ['node', 'browser'], needs: 'the @yowasp/clang package (about 100 MB, loaded on first use)' },
  hosted: { kind: 'hosted', label: 'the hosted toolchain', summary: "Mote's hosted toolchain service (server/), for browsers without a compiler", runsIn: ['node', 'browser'], needs: 'the hosted toolchain running (npm run toolchain) and its address' },
} as const satisfies Record<string, ToolchainInfo>;

export type ToolchainKind = keyof typeof toolchainKinds;

// A QEMU machine a virtual board runs on: the fixed program and the machine's own switches. A board file
// declares its machine (pure data, shared with the hosted service); qemu.node.ts starts it with the
// switches every virtual board shares (no display, no monitor, -icount shift=0, the UART on a socket).
// Nothing here comes from a request: the firmware is the only input, passed as a file.

export interface QemuMachine {
  /** The emulator program, one of the QEMU system emulators Debian's packages install. */
  readonly program: 'qemu-system-arm' | 'qemu-system-riscv32';
  /** Machine selection and machine-specific switches (before the shared ones). */
  readonly args: readonly string[];
  /** What to tell someone whose machine lacks the program. */
  readonly installHint: string;
  /** The core's cycle table the instruction-count plugin estimates cycles with (bench/cortex-m4-cycles.md). */
  readonly cycleModel?: 'cortex-m4';
}

/** QEMU's mps2-an386 (Cortex-M4F), with semihosting so a crashed firmware ends the emulator. */
export const mps2An386: QemuMachine = {
  program: 'qemu-system-arm',
  args: ['-M', 'mps2-an386', '-semihosting-config', 'enable=on,target=native'],
  installHint: 'install qemu-system-arm (scripts/install-system-packages.sh)',
  cycleModel: 'cortex-m4',
};

/**
 * QEMU's riscv32 `virt` with no firmware (-bios none): the ELF is loaded into DRAM and run in machine
 * mode; the firmware exits through the SiFive test device, so no semihosting is enabled.
 */
export const riscv32Virt: QemuMachine = {
  program: 'qemu-system-riscv32',
  args: ['-M', 'virt', '-bios', 'none'],
  installHint: 'install qemu-system-misc, which provides qemu-system-riscv32 (scripts/install-system-packages.sh)',
};

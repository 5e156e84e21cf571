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
  /**
   * How the firmware's board_exit(code) ends the emulator. Never semihosting: it would give the firmware
   * the host's files. `exit-uart`: the firmware writes `mote-exit <code>` on its second UART (QEMU's
   * stdout, read by the host, which then stops QEMU) and requests a system reset, which -no-reboot turns
   * into QEMU exiting. `device`: a QEMU device ends the emulator with the code (e.g. SiFive test).
   */
  readonly exitChannel: 'exit-uart' | 'device';
}

/** QEMU's mps2-an386 (Cortex-M4F); board_exit reports on UART1 and resets (see exitChannel). */
export const mps2An386: QemuMachine = {
  program: 'qemu-system-arm',
  args: ['-M', 'mps2-an386', '-no-reboot'],
  installHint: 'install qemu-system-arm (scripts/install-system-packages.sh)',
  cycleModel: 'cortex-m4',
  exitChannel: 'exit-uart',
};

/**
 * QEMU's riscv32 `virt` with no firmware (-bios none): the ELF is loaded into DRAM and run in machine
 * mode; the firmware exits through the SiFive test device, so no semihosting is enabled.
 */
export const riscv32Virt: QemuMachine = {
  program: 'qemu-system-riscv32',
  args: ['-M', 'virt', '-bios', 'none'],
  installHint: 'install qemu-system-misc, which provides qemu-system-riscv32 (scripts/install-system-packages.sh)',
  exitChannel: 'device',
};

// What must not outlive the process: emulators, compilers, their temporary folders. Each owner registers a
// synchronous cleanup while the resource lives and unregisters it when it stops the resource itself; the
// CLI installs the handlers, so SIGINT/SIGTERM/SIGHUP and any exit (an error included) run what is left.
// Synchronous on purpose: a signal handler that awaits may never get to finish.

type Cleanup = () => void;
const pending = new Set<Cleanup>();

/** Registers `cleanup` to run if the process ends before the returned function is called. */
export function cleanUpOnExit(cleanup: Cleanup): () => void {
  pending.add(cleanup);
  return () => { pending.delete(cleanup); };
}

/** Runs every registered cleanup once (each failure is ignored so the rest still run). */
export function runExitCleanups(): number {
  const all = [...pending];
  pending.clear();
  for (const cleanup of all) {
    try { cleanup(); } catch { /* keep cleaning */ }
  }
  return all.length;
}

const SIGNALS = { SIGHUP: 1, SIGINT: 2, SIGTERM: 15 } as const;
let installed = false;

/**
 * On SIGINT/SIGTERM/SIGHUP: runs the cleanups, reports, and exits 128 + the signal's number; on any other
 * exit runs them too. Installed once, by the CLI (a library must not take over a host's signals).
 */
export function installExitCleanup(report: (signal: keyof typeof SIGNALS, cleaned: number) => void): void {
  if (installed) return;
  installed = true;
  process.on('exit', () => { runExitCleanups(); });
  for (const [signal, number] of Object.entries(SIGNALS) as [keyof typeof SIGNALS, number][]) {
    process.on(signal, () => {
      const cleaned = runExitCleanups();
      report(signal, cleaned);
      process.exit(128 + number);
    });
  }
}

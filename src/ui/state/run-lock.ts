// The Web Lock a run holds while it executes. The runner takes it; on load the workbench asks which locks
// are held, so a run left 'running' by a reload or a closed tab is told apart from one still running in
// another tab.
export function runLockName(runId: string): string {
  return `mote-run:${runId}`;
}

/** The error a run gets when a reload or a closed tab cut it short; such a run is offered for resuming. */
export const INTERRUPTED_RUN_ERROR = 'interrupted: the page was reloaded or closed during this run';

export function wasInterrupted(run: { status: string; error: string | null }): boolean {
  return run.status === 'cancelled' && run.error === INTERRUPTED_RUN_ERROR;
}

// The Web Lock a run holds while it executes. The runner takes it; on load the workbench asks which locks
// are held, so a run left 'running' by a reload or a closed tab is told apart from one still running in
// another tab.
export function runLockName(runId: string): string {
  return `mote-run:${runId}`;
}

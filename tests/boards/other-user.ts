// The CLI run as another user, for the failure a workshop meets on Linux: a serial port the user may not open
// (not in the dialout group). Only where this runs as root with runuser: `nobody` may not open a pty that root
// made (mode 0600), as a user outside dialout may not open /dev/ttyUSB0.
import { spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';

/** Running as root with runuser: the CLI can be run as `nobody`, who may not open a pty root made (mode 0600), as a user outside the dialout group may not open /dev/ttyUSB0. */
export const otherUser = process.getuid?.() === 0 && spawnSync('runuser', ['--help']).status === 0;

/** The CLI as `nobody`: its status and what it printed. */
export function moteAsNobody(args: string[], cwd: string): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((done) => {
    const child = spawn('runuser', ['-u', 'nobody', '--', process.execPath, join(__dirname, '../../bin/mote.js'), ...args], { cwd });
    let stdout = '', stderr = '';
    const timer = setTimeout(() => { stderr += '\n[killed after 60 s]'; child.kill('SIGKILL'); }, 60_000);
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (status) => { clearTimeout(timer); done({ status, stdout, stderr }); });
  });
}


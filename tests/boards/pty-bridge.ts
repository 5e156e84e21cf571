// A serial device for tests: python3's pty module opens a pseudo-terminal in raw mode, prints the device
// path for the code under test to open (`mote flash --port=…`, the serial runtime executor), and copies
// bytes between it and this process's pipes, where a simulated board (ROM loader, rp2040js) answers.
import { spawn } from 'node:child_process';

const bridgeScript = `
import os, pty, select, sys, tty
master, slave = pty.openpty()
tty.setraw(master)
print(os.ttyname(slave), flush=True)
out = sys.stdout.buffer
while True:
    ready, _, _ = select.select([master, 0], [], [])
    if master in ready:
        try: data = os.read(master, 4096)
        except OSError: data = b''
        if data: out.write(data); out.flush()
    if 0 in ready:
        data = os.read(0, 4096)
        if not data: break
        os.write(master, data)
`;

export interface PtyBridge {
  /** The device path the code under test opens. */
  path: string;
  /** Bytes from the simulated board to whoever has the device open. */
  toPort(bytes: Uint8Array): void;
  /** Ends the bridge (the cable pulled); resolves once python3 has exited, so its pty is gone. */
  close(): Promise<void>;
}

/** Opens the pty; `fromPort` gets every byte written to the device once its path is known. */
export async function openPtyBridge(fromPort: (bytes: Uint8Array) => void): Promise<PtyBridge> {
  const bridge = spawn('python3', ['-c', bridgeScript], { stdio: ['pipe', 'pipe', 'inherit'] });
  let path = '';
  let buffered = Buffer.alloc(0);
  await new Promise<void>((ready) => {
    bridge.stdout.on('data', (chunk: Buffer) => {
      if (path) { fromPort(new Uint8Array(chunk)); return; }
      buffered = Buffer.concat([buffered, chunk]);
      const newline = buffered.indexOf(10);
      if (newline >= 0) { path = buffered.subarray(0, newline).toString(); ready(); }
    });
  });
  // After close (the cable pulled) a board's late bytes go nowhere, as they would on a real unplugged cable.
  let closed = false;
  bridge.stdin.on('error', () => undefined);
  const exited = new Promise<void>((done) => { if (bridge.exitCode !== null || bridge.signalCode !== null) done(); else bridge.once('exit', () => done()); });
  return { path, toPort: (bytes) => { if (!closed) bridge.stdin.write(bytes); }, close: () => { closed = true; bridge.kill(); return exited; } };
}

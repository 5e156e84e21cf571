// The toolchain service compiles and runs what strangers send, so it never does so as root: started as
// root (a container, a classroom server's init script) it switches to an unprivileged account before it
// listens, and says which. Its builds then also run sandboxed (src/core/deploy/sandbox.node.ts).
import { readFileSync } from 'node:fs';

interface Account { name: string; uid: number; gid: number }

function lookUpAccount(name: string): Account {
  let passwd = '';
  try { passwd = readFileSync('/etc/passwd', 'utf8'); } catch { /* reported below */ }
  for (const line of passwd.split('\n')) {
    const [user, , uid, gid] = line.split(':');
    if (user === name && uid !== undefined && gid !== undefined) return { name, uid: Number(uid), gid: Number(gid) };
  }
  throw new Error(`the toolchain service was started as root and must switch to an unprivileged account, but account ${JSON.stringify(name)} does not exist; create it or set MOTE_TOOLCHAIN_USER to one that does`);
}

/** Switches from root to `accountName` (groups cleared); returns the line to print at start. */
export function dropRootPrivileges(accountName: string): string {
  const uid = process.getuid?.();
  if (uid === undefined) return 'toolchain service: cannot tell which account it runs as on this platform';
  if (uid !== 0) return `toolchain service: running as uid ${uid} (not root; nothing to drop)`;
  const account = lookUpAccount(accountName);
  if (account.uid === 0) throw new Error(`MOTE_TOOLCHAIN_USER=${accountName} is root; name an unprivileged account`);
  process.setgroups!([]);
  process.setgid!(account.gid);
  process.setuid!(account.uid);
  if (process.getuid!() !== account.uid || process.geteuid!() !== account.uid) throw new Error('switching away from root failed');
  return `toolchain service: started as root, now running as ${account.name} (uid ${account.uid}, gid ${account.gid})`;
}

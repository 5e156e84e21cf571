// `npm run toolchain`: starts the hosted toolchain service for the app on this machine.
// Environment: MOTE_TOOLCHAIN_PORT (default 8787), MOTE_APP_ORIGIN (comma-separated origins allowed to
// call it; default the Vite dev and preview origins on 127.0.0.1/localhost), MOTE_TOOLCHAIN_USER (the
// unprivileged account it switches to when started as root; default nobody).
// Flags: --allow-cli (or MOTE_TOOLCHAIN_ALLOW_CLI=1) also serves requests without an Origin header (the
// mote CLI, scripts); without it only browsers, which always send their origin, are served.
import { dropRootPrivileges } from './privileges';
import { startToolchainService } from './toolchain-service';

const port = Number(process.env.MOTE_TOOLCHAIN_PORT ?? 8787);
const listed = process.env.MOTE_APP_ORIGIN?.split(',').map((s) => s.trim()).filter(Boolean) ?? [];
const origins = listed.length ? listed : undefined;
const allowCli = process.argv.includes('--allow-cli') || process.env.MOTE_TOOLCHAIN_ALLOW_CLI === '1';
const unknown = process.argv.slice(2).filter((a) => a !== '--allow-cli');
if (unknown.length) {
  console.error(`toolchain service: unknown argument ${unknown[0]}; the only flag is --allow-cli (serve requests without an Origin, for the mote CLI)`);
  process.exit(2);
}
// Before anything else runs: a hostile request must never meet root, even inside the sandbox.
console.log(dropRootPrivileges(process.env.MOTE_TOOLCHAIN_USER || 'nobody'));
const service = await startToolchainService({ port, allowedOrigins: origins, allowRequestsWithoutOrigin: allowCli, log: (line) => console.log(line) });
const shutdown = () => { service.close().then(() => process.exit(0)); };
process.on('SIGINT', shutdown);
process.on('SIGTERM', shutdown);
process.on('SIGHUP', shutdown);

// `npm run toolchain`: starts the hosted toolchain service for the app on this machine.
// Environment: MOTE_TOOLCHAIN_PORT (default 8787), MOTE_APP_ORIGIN (comma-separated origins allowed to
// call it; default the Vite dev and preview origins on 127.0.0.1/localhost).
import { startToolchainService } from './toolchain-service';

const port = Number(process.env.MOTE_TOOLCHAIN_PORT ?? 8787);
const listed = process.env.MOTE_APP_ORIGIN?.split(',').map((s) => s.trim()).filter(Boolean) ?? [];
const origins = listed.length ? listed : undefined;
const service = await startToolchainService({ port, allowedOrigins: origins, log: (line) => console.log(line) });
const shutdown = () => { service.close().then(() => process.exit(0)); };
process.on('SIGINT', shutdown);
process.on('SIGTERM', shutdown);

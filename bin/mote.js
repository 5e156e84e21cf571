#!/usr/bin/env node
// The `mote` command: runs the TypeScript CLI through tsx so there is no separate build step.
import { register } from 'node:module';
import { register as registerTsx } from 'tsx/esm/api';

registerTsx();
register('./resolve-node-suffix.mjs', import.meta.url);
const { main, installCliExitCleanup } = await import('../src/cli/main.ts');
installCliExitCleanup();
process.exitCode = await main(process.argv.slice(2));

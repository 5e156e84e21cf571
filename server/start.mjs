#!/usr/bin/env node
// `npm run toolchain`: runs server/main.ts through tsx, with the same resolve hook as bin/mote.js so
// extensionless imports of `*.node.ts` adapters resolve.
import { register } from 'node:module';
import { register as registerTsx } from 'tsx/esm/api';

registerTsx();
register('../bin/resolve-node-suffix.mjs', import.meta.url);
await import('./main.ts');

#!/usr/bin/env node
// `npm run bench:inference`: runs bench/inferenc./run.ts through tsx with the `*.node.ts` resolve hook.
import { register } from 'node:module';
import { register as registerTsx } from 'tsx/esm/api';

registerTsx();
register('../../bin/resolve-node-suffix.mjs', import.meta.url);
await import('./run.ts');

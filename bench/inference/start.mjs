#!/usr/bin/env node
// `npm run bench:inference`: runs bench/inference/run.ts through tsx with the `*.node.ts` resolve hook.
// `node bench/inference/start.mjs headline [O2|O3 …]`: the cortex-m dialect only (bench/inference/headline.ts).
import { register } from 'node:module';
import { register as registerTsx } from 'tsx/esm/api';

registerTsx();
register('../../bin/resolve-node-suffix.mjs', import.meta.url);
await import(process.argv[2] === 'headline' ? './headline.ts' : './run.ts');

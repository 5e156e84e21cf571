#!/usr/bin/env node
// `node bench/codegen/start.mjs [calibration|reference]`: runs bench/codegen/run.ts (generator figures),
// calibration.ts or reference.ts through tsx with the `*.node.ts` resolve hook.
import { register } from 'node:module';
import { register as registerTsx } from 'tsx/esm/api';

registerTsx();
register('../../bin/resolve-node-suffix.mjs', import.meta.url);
await import(process.argv[2] === 'calibration' ? './calibration.ts' : process.argv[2] === 'reference' ? './reference.ts' : './run.ts');

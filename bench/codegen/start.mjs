#!/usr/bin/env node
// `node bench/codegen/start.mjs [calibration|reference|ptq-accuracy ARGS]`: runs bench/codegen/run.ts (generator figures),
// calibration.ts, reference.ts or ptq-accuracy.ts through tsx with the `*.node.ts` resolve hook.
import { register } from 'node:module';
import { register as registerTsx } from 'tsx/esm/api';

registerTsx();
register('../../bin/resolve-node-suffix.mjs', import.meta.url);
const scripts = { calibration: './calibration.ts', reference: './reference.ts', 'ptq-accuracy': './ptq-accuracy.ts' };
await import(scripts[process.argv[2]] ?? './run.ts');

// `node --import ./bench/import/register.mjs bench/import/<script>.ts`: TypeScript through tsx plus the
// `*.node` → `*.node.ts` resolution the CLI uses (bin/resolve-node-suffix.mjs).
import { register } from 'node:module';
import { register as registerTsx } from 'tsx/esm/api';

registerTsx();
register('../../bin/resolve-node-suffix.mjs', import.meta.url);

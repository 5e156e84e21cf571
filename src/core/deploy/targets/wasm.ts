// Mote's `Wasm` target: the zero-install virtual board. The generated C and the evaluation loop are
// compiled to wasm32 with @yowasp/clang (in the browser or Node) and run in the same process, speaking
// protocol v1 over an in-memory transport; outputs are bit-exact with the Cortex-M build.
import { boolean, integer, oneOf, optional, string, table } from '../../base/schema';
import { optimizationLevels } from '../firmware-build';
import type { BoardTargetKind } from './board-target';

export const wasmTarget = {
  kind: 'Wasm',
  summary: 'the generated C compiled to WebAssembly and run in the app: a virtual board that needs no install',
  board: 'wasm',
  toolchains: ['wasm'],
  params: table({
    outdir: optional(string()),
    optimize: oneOf(optimizationLevels, 'O3'),
  }),
  evaluatorParams: table({
    timeout: integer(30, { min: 1 }),
    shuffle: boolean(false),
  }),
} satisfies BoardTargetKind;

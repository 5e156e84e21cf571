import type { KindInfo } from '../base/kinds';
import { linuxTarget } from './targets/linux';
import { nucleoL452REPTarget } from './targets/nucleo-l452rep';
import { virtualCortexM4Target } from './targets/virtual-cortex-m4';
import { wasmTarget } from './targets/wasm';

/** Every deploy.target kind Mote supports, keyed by Qualia's kind name; one line per kind file. */
export const targetKinds = {
  Linux: linuxTarget,
  NucleoL452REP: nucleoL452REPTarget,
  VirtualCortexM4: virtualCortexM4Target,
  Wasm: wasmTarget,
} satisfies Record<string, KindInfo<any>>;

// Mote's `Wasm` target: the zero-install virtual board, in two routes. Runtime route (converter MoteRuntime):
// the model blob run by the prebuilt Mote Runtime image runtime/prebuilt/mote-runtime.wasm, in this thread
// (Node) or the board worker (the app) — no compiler. Generated-C route (QualiaCodeGen): the generated C and
// the evaluation loop compiled to wasm32 with @yowasp/clang (in the browser or Node), speaking protocol v1
// over an in-memory transport. Either way the outputs are bit-exact with the integer reference.
import { boolean, integer, oneOf, optional, relativePath, table } from '../../base/schema';
import type { BoardKind } from '../board';
import { optimizationLevels } from '../firmware-build';

const deployerParams = table({
  /** Where firmware.wasm goes (default out/deploy/Wasm). */
  outdir: optional(relativePath()),
  optimize: oneOf(optimizationLevels, 'O3'),
});

const evaluatorParams = table({
  timeout: integer(30, { min: 1 }),
  shuffle: boolean(false),
});

type Deployer = ReturnType<typeof deployerParams.parse>;
type Evaluator = ReturnType<typeof evaluatorParams.parse>;

export const wasmTarget = {
  kind: 'Wasm',
  title: 'Wasm virtual board',
  summary: 'the generated C compiled to WebAssembly and run in the app: a virtual board that needs no install',
  params: deployerParams,
  evaluatorParams,
  build: {
    kind: 'firmware',
    firmware: 'wasm',
    toolchains: ['wasm'],
    options: (deployer: Deployer) => ({ protocol: 'mote-v1' as const, optimize: deployer.optimize }),
  },
  transports: ['wasm-thread', 'wasm-worker'],
  runtime: { image: 'mote-runtime.wasm', dialect: 'c99' },
  // Its counter is the host's performance.now() in µs: not a board latency, so not reported as one.
  reports: { size: 'none', counter: 'microseconds', latency: false, clockHz: () => null },
  capacity: { flashBytes: null, ramBytes: null, clockHz: null },
  acceptsOptimize: true,
  protocol: () => 'mote-v1' as const,
  timeoutSeconds: (evaluator: Evaluator) => evaluator.timeout,
  shuffle: (evaluator: Evaluator) => evaluator.shuffle,
} satisfies BoardKind<Deployer, Evaluator>;

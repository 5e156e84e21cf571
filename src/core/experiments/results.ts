// results.json: the machine-readable record of one bench, written to logs/<bench.name>/results.json by
// every action so CI, benchmarks and the app read figures without parsing logs. Documented in README.md.
// A figure that does not apply (yet) is null, never a made-up value.

export const RESULTS_FORMAT_VERSION = 1;

export interface MetricValues { [name: string]: number | null }

export interface TrainResult {
  backend: string | null;
  epochs: number;
  seconds: number | null;
  parameters: number | null;
  metrics: MetricValues; // test_acc, test_avgclsacc, train_acc, …
}

export interface DeployResult {
  target: string;
  quantize: string; // float32 | int16 | int8
  optimize: string; // '' | 'cmsis-nn' | …
  n: number | null; // vectors evaluated
  accuracy: number | null; // on-target top-1 accuracy
  reference_accuracy: number | null; // Mote's TypeScript reference on the same vectors
  agreement: number | null; // share of vectors equal to the reference (raw ints for int8/16, class for float32)
  bit_exact: boolean | null; // every raw output equal to the reference
  max_rel_diff?: number | null; // float32 only: largest relative output difference
  avg_latency_us: number | null; // board clock; null on emulated targets
  instructions_per_inference: number | null; // emulated targets (QEMU)
  /** VirtualCortexM4: instructions weighted with the Cortex-M4 TRM's cycle table (bench/cortex-m4-cycles.md), an estimate. */
  estimated_cycles_per_inference?: number | null;
  /** Mean of the board's own cycle counter (DWT CYCCNT, SysTick, mpccr; rp2040js's cycle model on VirtualPico). */
  cycles_per_inference?: number | null;
  macs: number | null;
  rom_bytes: number | null;
  ram_bytes: number | null;
  /** How the model reached the board: generated C built into firmware, or a model blob on the prebuilt Mote Runtime. Absent in older files: generated-c. */
  route?: 'generated-c' | 'runtime';
  /** Runtime route: the blob's CRC-32 as the runtime reported it (its model hash), `0x` and 8 hex digits. */
  model_crc?: string;
  /** Runtime route: the model blob's size in bytes (model.mtb). */
  blob_bytes?: number;
  /** Why the board refused the model before anything was sent (it does not fit, with both sizes); no figures then. */
  refused?: string;
}

export interface RunRecord {
  model: string; // `<name>` after postprocessing renames, without the _r<i> suffix
  config_model?: string; // the [[model]] name it came from
  iteration: number;
  train: TrainResult | null;
  /**
   * train: onnxruntime-web running the final float model on the test vectors the boards get
   * (pipeline/onnx-reference.ts): how many, the share with the same argmax as Mote's float reference, the
   * largest output difference relative to each vector's largest output. Null with `onnx_note` saying why
   * where not measured (no runtime here, no ONNX form of the model).
   */
  onnx_n?: number | null;
  onnx_agreement?: number | null;
  onnx_max_rel_diff?: number | null;
  onnx_note?: string | null;
  deploy: DeployResult[];
}

export interface BenchResults {
  format: typeof RESULTS_FORMAT_VERSION;
  bench: string;
  config: string; // path of the experiment file
  updated: string; // ISO time
  runs: RunRecord[];
}

export function emptyResults(bench: string, config: string): BenchResults {
  return { format: RESULTS_FORMAT_VERSION, bench, config, updated: new Date().toISOString(), runs: [] };
}

/** The record of one model × iteration, created on first use so actions can fill their part. */
export function runRecord(results: BenchResults, model: string, iteration: number): RunRecord {
  let record = results.runs.find((r) => r.model === model && r.iteration === iteration);
  if (!record) {
    record = { model, iteration, train: null, deploy: [] };
    results.runs.push(record);
  }
  return record;
}

/** The same deploy row: one target, number format, optimize variant and route. */
export function sameDeployRow(a: Pick<DeployResult, 'target' | 'quantize' | 'optimize' | 'route'>, b: Pick<DeployResult, 'target' | 'quantize' | 'optimize' | 'route'>): boolean {
  return a.target === b.target && a.quantize === b.quantize && a.optimize === b.optimize && (a.route ?? 'generated-c') === (b.route ?? 'generated-c');
}

/** Replaces the deploy row with the same target/quantize/optimize/route, keeping the others. */
export function putDeployResult(record: RunRecord, row: DeployResult): void {
  const i = record.deploy.findIndex((d) => sameDeployRow(d, row));
  if (i >= 0) record.deploy[i] = row;
  else record.deploy.push(row);
}

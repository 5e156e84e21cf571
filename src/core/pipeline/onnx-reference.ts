// The independent float reference of train: the final float model (after [[postprocessing]]) is written as
// ONNX and run by onnxruntime-web on the test vectors the boards get (deploy.limit applies; at most
// ONNX_REFERENCE_MAX_VECTORS, since Mote's float reference is plain loops on the app's page), and its outputs
// are compared with Mote's own float reference interpreter. A runtime nobody here wrote agreeing with Mote
// checks Mote's float semantics on every run. The runtime comes from the environment (Node: the package's
// entry; the app: its onnx worker); where there is none, or the model has no ONNX form, the figures are null
// and a note says why: this check never fails a run.

import { MoteError } from '../base/errors';
import type { RunRecord } from '../experiments/results';
import type { ModelGraph } from '../models/graph';
import { exportOnnx } from '../models/onnx/export';
import { maxRelativeDifference, runOnnxRuntime, type OnnxRuntime } from '../models/onnx/runtime';
import { forwardFloat } from '../models/reference-float';
import { inferShapes, sizeOf } from '../models/shapes';
import type { EvaluationSet } from './deploy';

/** The most vectors compared: enough to catch a semantic difference, few enough to stay seconds on a page. */
export const ONNX_REFERENCE_MAX_VECTORS = 1000;

export type OnnxReferenceFigures = Required<Pick<RunRecord, 'onnx_n' | 'onnx_agreement' | 'onnx_max_rel_diff' | 'onnx_note'>>;

function argmax(values: Float32Array, from: number, size: number): number {
  let best = 0;
  for (let i = 1; i < size; i++) if (values[from + i] > values[from + best]) best = i;
  return best;
}

const notMeasured = (note: string): OnnxReferenceFigures => ({ onnx_n: null, onnx_agreement: null, onnx_max_rel_diff: null, onnx_note: note });

/** onnxruntime-web against Mote's float reference on `test`: share of vectors with the same argmax, largest relative difference. */
export async function onnxFloatReference(graph: ModelGraph, test: EvaluationSet, runtime: OnnxRuntime | undefined): Promise<OnnxReferenceFigures> {
  if (!runtime) return notMeasured('no ONNX runtime in this environment, so the float model was not checked by onnxruntime-web');
  if (test.count === 0) return notMeasured('the test set is empty, so the float model was not checked by onnxruntime-web');
  let bytes: Uint8Array;
  try {
    bytes = exportOnnx(graph);
  } catch (error) {
    if (!(error instanceof MoteError)) throw error;
    return notMeasured(`not checked by onnxruntime-web: the model cannot be written as ONNX (${error.message})`);
  }
  if (Object.keys(graph.shapes).length !== graph.layers.length) inferShapes(graph);
  const inputShape = graph.shapes[graph.layers[0].name];
  const outputShape = graph.shapes[graph.layers[graph.layers.length - 1].name];
  const count = Math.min(test.count, ONNX_REFERENCE_MAX_VECTORS);
  const x = test.x.subarray(0, count * sizeOf(inputShape));
  const mote = forwardFloat(graph, { data: x, batch: count }).output;
  let onnx: Float32Array;
  try {
    onnx = (await runOnnxRuntime(runtime, bytes, inputShape, outputShape, x, count)).output;
  } catch (error) {
    return notMeasured(`not checked: onnxruntime-web could not run the model as Mote writes it (${(error as Error).message})`);
  }
  if (onnx.length !== mote.length) return notMeasured(`not checked: onnxruntime-web returned ${onnx.length} outputs, Mote ${mote.length}`);
  const size = sizeOf(outputShape);
  let same = 0;
  for (let s = 0; s < count; s++) if (argmax(onnx, s * size, size) === argmax(mote, s * size, size)) same++;
  return { onnx_n: count, onnx_agreement: same / count, onnx_max_rel_diff: maxRelativeDifference(onnx, mote, count), onnx_note: null };
}

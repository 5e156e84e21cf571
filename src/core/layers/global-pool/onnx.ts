import { intAttr, intsAttr, type OnnxFacet, type OnnxImportContext } from '../facets/onnx';
import type { GlobalPoolLayer } from './layer';

const REDUCE: Record<GlobalPoolLayer['mode'], string> = { avg: 'ReduceMean', max: 'ReduceMax', sum: 'ReduceSum' };
const MODE_OF: Record<string, GlobalPoolLayer['mode']> = { GlobalAveragePool: 'avg', GlobalMaxPool: 'max', ReduceMean: 'avg', ReduceMax: 'max', ReduceSum: 'sum' };

/** A Reduce* node is a global pool when it reduces exactly every spatial axis (2…rank−1 of [N, C, …]). */
function checkReducedAxes(ctx: OnnxImportContext, rank: number): void {
  // ReduceSum takes its axes as an input from opset 13, the others from opset 18.
  const axesAsInput = ctx.op === 'ReduceSum' ? ctx.opset >= 13 : ctx.opset >= 18;
  let axes: number[];
  if (axesAsInput && !ctx.absent(1)) {
    axes = Array.from(ctx.needConstant(1, 'the axes (input 1)').values);
  } else axes = ctx.ints('axes', []);
  const normalized = axes.map((a) => (a < 0 ? a + rank : a)).sort((a, b) => a - b);
  const spatial = Array.from({ length: rank - 2 }, (_, i) => i + 2);
  if (normalized.join() !== spatial.join()) ctx.fail(`axes [${axes.join(', ')}] are not the spatial axes [${spatial.join(', ')}]; Mote imports a reduction over every spatial position only`);
  if (ctx.int('noop_with_empty_axes', 0) !== 0) ctx.fail('noop_with_empty_axes is not supported');
}

// Exported as one Reduce* with keepdims = 0, so the result is [N, C] like Mote's flat output.
export const globalPoolOnnx: OnnxFacet<GlobalPoolLayer> = {
  export(layer, ctx) {
    const spatialAxes = ctx.inShapes[0].slice(0, -1).map((_, i) => i + 2);
    if (layer.mode === 'sum') {
      ctx.node('ReduceSum', [ctx.inputs[0], ctx.initializer('axes', [spatialAxes.length], { int64: spatialAxes })], { keepdims: intAttr(0) });
    } else {
      ctx.node(REDUCE[layer.mode], [ctx.inputs[0]], { axes: intsAttr(spatialAxes), keepdims: intAttr(0) });
    }
  },
  imports: { GlobalAveragePool: [], GlobalMaxPool: [], ReduceMean: ['axes', 'keepdims', 'noop_with_empty_axes'], ReduceMax: ['axes', 'keepdims', 'noop_with_empty_axes'], ReduceSum: ['axes', 'keepdims', 'noop_with_empty_axes'] },
  import(ctx) {
    const x = ctx.value(0);
    if (x.shape.length < 2) ctx.fail('needs a spatial input [N, C, …]');
    if (ctx.op.startsWith('Reduce')) checkReducedAxes(ctx, x.shape.length + 1);
    // keepdims = 1 (and the Global* ops) leave [N, C, 1, …]: the same values in the same order as Mote's [C].
    return { layer: { kind: 'GlobalPool', mode: MODE_OF[ctx.op] }, inputs: [0] };
  },
};

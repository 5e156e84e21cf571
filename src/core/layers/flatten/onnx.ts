import { intAttr, intsAttr, type OnnxFacet, type OnnxImportContext } from '../facets/onnx';
import { sizeOf } from '../shared/geometry';
import type { FlattenLayer } from './layer';

/** The perm that takes [N, C, …spatial] to [N, …spatial, C]. */
function toChannelsLast(rank: number): number[] {
  return [0, ...Array.from({ length: rank - 2 }, (_, i) => i + 2), 1];
}

/** ONNX flattens channels-first ([C, …spatial] row-major); Mote channels_last: element i of ONNX's vector is
 * Mote's order[i]. Undefined where both orders agree (one channel, or one position). */
function flatOrder(shape: number[]): Int32Array | undefined {
  const channels = shape[shape.length - 1];
  const positions = sizeOf(shape) / channels;
  if (channels === 1 || positions === 1) return undefined;
  const order = new Int32Array(channels * positions);
  for (let c = 0; c < channels; c++) for (let p = 0; p < positions; p++) order[c * positions + p] = p * channels + c;
  return order;
}

/** A Reshape that keeps the batch and flattens the rest: a constant shape [N | -1 | 0, features | -1]. */
function checkFlatReshape(ctx: OnnxImportContext, features: number): void {
  const target = ctx.needConstant(1, 'the target shape (input 1) (export with constant folding, or use Flatten)');
  const dims = Array.from(target.values);
  const batchKept = dims[0] === -1 || dims[0] === 0 || dims[0] === 1;
  if (dims.length !== 2 || !batchKept || (dims[1] !== -1 && dims[1] !== features) || (dims[0] === -1 && dims[1] === -1)) {
    ctx.fail(`Reshape to [${dims.join(', ')}] is not a flatten to [N, ${features}]; Mote imports Reshape only as Flatten`);
  }
}

export const flattenOnnx: OnnxFacet<FlattenLayer> = {
  // Mote flattens channels_last; ONNX's Flatten reads channels-first, so a Transpose to channels-last comes first.
  export(_layer, ctx) {
    const shape = ctx.inShapes[0];
    let input = ctx.inputs[0];
    if (shape.length > 1) input = ctx.node('Transpose', [input], { perm: intsAttr(toChannelsLast(shape.length + 1)) }, `${ctx.output}_nhwc`);
    ctx.node('Flatten', [input], { axis: intAttr(1) });
  },
  imports: { Flatten: ['axis'], Reshape: ['allowzero'], Transpose: ['perm'] },
  import(ctx) {
    const x = ctx.value(0);
    if (ctx.op === 'Transpose') {
      const perm = ctx.ints('perm', []);
      if (x.channelsLast || x.shape.length < 2 || perm.join() !== toChannelsLast(x.shape.length + 1).join()) {
        ctx.fail(`Transpose with perm [${perm.join(', ')}] is not supported; Mote imports only the move of channels last ([${toChannelsLast(Math.max(x.shape.length, 2) + 1).join(', ')}]) before a Flatten`);
      }
      return { alias: 0, channelsLast: true };
    }
    if (ctx.op === 'Flatten' && ctx.int('axis', 1) !== 1) ctx.fail(`axis = ${ctx.int('axis', 1)} is not supported; Mote flattens everything but the batch (axis = 1)`);
    if (ctx.op === 'Reshape') checkFlatReshape(ctx, sizeOf(x.shape));
    if (x.shape.length === 1) return { alias: 0 };
    return x.channelsLast ? { layer: { kind: 'Flatten' }, inputs: [0], readsChannelsLast: true } : { layer: { kind: 'Flatten' }, inputs: [0], makesOrder: flatOrder(x.shape) };
  },
};

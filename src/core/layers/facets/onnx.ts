// ONNX facet: how a layer kind is written as standard ONNX operators (opset 13, channels-first tensors as
// PyTorch exports them) and which ONNX operators import as that kind. Read by the exporter and the importer
// (models/onnx/export.ts, models/onnx/import.ts), which hold the file format, the layout bookkeeping and the
// graph's input and output; a facet only maps one layer to nodes and one node back to a layer.
//
// Layouts: Mote tensors are channels_last ([steps, c], [h, w, c]); ONNX tensors here are channels-first with
// the batch dim ([N, c, steps], [N, c, h, w]); flat ones are [N, features] in both. A kind with a fused
// activation exports only its linear part: the exporter appends the activation through the kind whose
// lowering `foldsAs` it.

import type { LayerBase, Tensor } from '../ir';

export type OnnxAttributeValue = { int: number } | { ints: number[] } | { float: number } | { string: string };
export type OnnxAttributes = Record<string, OnnxAttributeValue>;

export interface OnnxExportContext {
  /** ONNX names of the layer's inputs, in the order of `layer.inputs`. */
  inputs: string[];
  /** Mote (channels_last, batch-free) shapes of the inputs and of the output. */
  inShapes: number[][];
  outShape: number[];
  /** The name the layer's result must carry (the last node the facet adds must write it). */
  output: string;
  /** The layer's float weight of a role, in Mote's layout (models/graph.ts). */
  weight(role: string): Tensor;
  /** Adds a float32 (or int64) initializer named `<output>/<role>`; returns its name. */
  initializer(role: string, dims: number[], values: Float32Array | { int64: number[] }): string;
  /** Adds one node writing `output` (default: the layer's own); returns that name. */
  node(op: string, inputs: string[], attributes?: OnnxAttributes, output?: string): string;
}

/** How an imported value is laid out: channels-first spatial, or flat (from a Flatten, Gemm, global pool). */
export interface OnnxValue {
  /** Mote shape (channels_last, batch-free). */
  shape: number[];
  /** A Transpose to channels-last was applied (only a Flatten/Reshape may read such a value). */
  channelsLast?: true;
  /** A flat value made by flattening a channels-first tensor: ONNX element i is Mote element order[i]. */
  order?: Int32Array;
}

export interface OnnxConstant {
  dims: number[];
  values: Float32Array;
}

export interface OnnxImportContext {
  /** The node's operator and name, for messages. */
  readonly op: string;
  readonly node: string;
  /** The default-domain opset the file declares. */
  readonly opset: number;
  /** Number of inputs given (empty optional inputs count as absent at the end). */
  readonly inputCount: number;
  /** Whether input i is absent (an empty name) or missing. */
  absent(i: number): boolean;
  /** Input i as a value computed by the graph (an error if it is a constant or absent). */
  value(i: number): OnnxValue;
  /** Input i as a constant (initializer or Constant node), or undefined if it is computed. */
  constant(i: number): OnnxConstant | undefined;
  /** Input i as a constant, or a failure saying `what` ("the weight (input 1)") must be an initializer. */
  needConstant(i: number, what: string): OnnxConstant;
  int(name: string, fallback: number): number;
  ints(name: string, fallback: number[]): number[];
  float(name: string, fallback: number): number;
  string(name: string, fallback: string): string;
  /** Throws the importer's error naming this node. */
  fail(message: string): never;
}

type Kinded = LayerBase & { kind: string };

export type OnnxImported<L extends Kinded> =
  /** A new layer reading the computed inputs at `inputs` (indices into the node's inputs). */
  | {
      layer: Omit<L, 'name' | 'inputs'>;
      inputs: number[];
      weights?: Record<string, Tensor>;
      /** 'inherit': an element-wise kind passes a flat value's `order` on; 'consumed': the weights absorbed it. */
      order?: 'inherit' | 'consumed';
      /** The output's flat order, for a kind that makes one (Flatten of a channels-first tensor). */
      makesOrder?: Int32Array;
      /** The kind reads a value transposed to channels-last (Flatten after a Transpose): Mote's own order. */
      readsChannelsLast?: true;
    }
  /** No layer: the node's output is input `alias` seen another way (an identity, a Transpose, a Flatten of a flat value). */
  | { alias: number; channelsLast?: true };

export interface OnnxFacet<L extends Kinded> {
  /** Writes the layer as nodes (its linear part, for a kind with a fused activation). */
  export(layer: L, ctx: OnnxExportContext): void;
  /** ONNX operators this kind imports, with the attributes each accepts (any other is listed as unsupported). */
  readonly imports?: Record<string, readonly string[]>;
  import?(ctx: OnnxImportContext): OnnxImported<L>;
}

export const intAttr = (int: number): OnnxAttributeValue => ({ int });
export const intsAttr = (ints: number[]): OnnxAttributeValue => ({ ints });
export const floatAttr = (float: number): OnnxAttributeValue => ({ float });

/** Mote per-dim lists ([h, w] or [steps]) are ONNX's order too; pads are begin…, end…. */
export function symmetricPads(padding: readonly number[]): number[] {
  return [...padding, ...padding];
}

/** The ONNX pads of a node as Mote's symmetric padding, or a clear failure for asymmetric ones. */
export function padsToPadding(ctx: OnnxImportContext, dims: number): number[] {
  const pads = ctx.ints('pads', Array(2 * dims).fill(0));
  if (pads.length !== 2 * dims) ctx.fail(`pads has ${pads.length} entries; a ${dims}-D window needs ${2 * dims}`);
  const begin = pads.slice(0, dims);
  const end = pads.slice(dims);
  if (begin.some((p, d) => p !== end[d])) ctx.fail(`pads [${pads.join(', ')}] are not symmetric; Mote pads each side equally (re-export with padding on both sides)`);
  return begin;
}

/** Checks a node's auto_pad (only NOTSET/VALID with explicit pads are Mote's semantics) and dilations. */
export function checkPlainWindow(ctx: OnnxImportContext, dims: number): void {
  const autoPad = ctx.string('auto_pad', 'NOTSET');
  if (autoPad !== 'NOTSET' && autoPad !== 'VALID') ctx.fail(`auto_pad = ${autoPad} is not supported; export with explicit pads (PyTorch does)`);
  const dilations = ctx.ints('dilations', Array(dims).fill(1));
  if (dilations.some((d) => d !== 1)) ctx.fail(`dilations [${dilations.join(', ')}] are not supported; Mote's windows are dense`);
}

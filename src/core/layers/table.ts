// The layer table: every layer kind Mote knows, one line each. A kind is one folder (layers/<kind>/) that
// owns its IR type (layer.ts), its definition (definition.ts) and one file per facet: shape rule, float
// reference, tfjs forward, quantization rule, integer reference, C emitter. Every stage reads this table and
// nothing else about kinds: shape inference (models/shapes.ts), the float and integer interpreters
// (models/reference-float.ts, quantization/reference-int.ts), the tfjs interpreter shared by training,
// calibration and QAT (training/tf-model.ts), the quantizer (quantization/quantized-graph.ts), deployment
// lowering (quantization/lower.ts) and the C generator (codegen/emit.ts). The IR's Layer union is derived
// from it, so a new kind is its folder plus one line here (docs/engineering.md has the recipe).
//
// tfjs stays lazy: a definition's `tfjs` slot is a loader, `() => import('./tfjs')…`, that only the tfjs
// interpreter awaits (TfGraphModel.create). The table therefore reaches no @tensorflow module through
// static imports, so the C generator, the integer reference and config validation, which all read it,
// load no tfjs (tests/architecture/house-rules.test.ts checks it); in the browser each tfjs facet is a
// small chunk the training worker fetches with the first model that uses the kind.

import { UnsupportedError } from '../base/errors';
import { addDefinition } from './add/definition';
import { avgPoolDefinition } from './avg-pool/definition';
import { batchNormDefinition } from './batch-norm/definition';
import { concatenateDefinition } from './concatenate/definition';
import { convDefinition } from './conv/definition';
import type { LayerDefinition, LayerStage } from './definition';
import { denseDefinition } from './dense/definition';
import { dropoutDefinition } from './dropout/definition';
import { flattenDefinition } from './flatten/definition';
import { globalPoolDefinition } from './global-pool/definition';
import { inputDefinition } from './input/definition';
import { maxPoolDefinition } from './max-pool/definition';
import { reluDefinition } from './relu/definition';
import { relu6Definition } from './relu6/definition';
import { softmaxDefinition } from './softmax/definition';

/** Every layer kind, keyed by its `kind` name (the name in saved graphs). */
export const layerTable = {
  Input: inputDefinition,
  Conv: convDefinition,
  Dense: denseDefinition,
  BatchNorm: batchNormDefinition,
  ReLU: reluDefinition,
  ReLU6: relu6Definition,
  MaxPool: maxPoolDefinition,
  AvgPool: avgPoolDefinition,
  GlobalPool: globalPoolDefinition,
  Add: addDefinition,
  Flatten: flattenDefinition,
  Dropout: dropoutDefinition,
  Softmax: softmaxDefinition,
  Concatenate: concatenateDefinition,
} satisfies Record<string, LayerDefinition<any>>;

type LayerOf<D> = D extends LayerDefinition<infer L> ? L : never;

/** A layer of the IR: the union of every kind's own type (layers/<kind>/layer.ts). */
export type Layer = LayerOf<(typeof layerTable)[keyof typeof layerTable]>;
export type LayerKind = Layer['kind'];

/** How each stage names itself in "not supported" errors. */
export const STAGE_NAMES: Record<LayerStage, string> = {
  shape: 'shape inference',
  float: 'the float reference interpreter',
  tfjs: 'the tfjs interpreter (training, calibration and QAT)',
  quantize: 'quantization',
  integer: 'the integer reference interpreter',
  c: 'the C generator',
  blob: 'the Mote Runtime (model blob encoder)',
};

const definitions: Partial<Record<string, LayerDefinition<Layer>>> = layerTable as unknown as Record<string, LayerDefinition<Layer>>;

function describe(layer: { name: string; kind: string }): string {
  return `layer '${layer.name}' (${layer.kind})`;
}

/** The definition of a layer's kind; an unknown kind (a hand-edited or newer graph) is a clear error. */
export function definitionOf(layer: { name: string; kind: string }): LayerDefinition<Layer> {
  const definition = Object.hasOwn(definitions, layer.kind) ? definitions[layer.kind] : undefined;
  if (!definition) throw new UnsupportedError(`${describe(layer)}: '${layer.kind}' is not a layer kind this Mote knows; known kinds: ${Object.keys(layerTable).join(', ')}`);
  return definition;
}

/** The kinds whose definition fills a stage's slot. */
export function kindsSupporting(stage: LayerStage): string[] {
  return Object.values(definitions).filter((d) => d![stage] !== undefined).map((d) => d!.kind);
}

/** A layer's facet for one stage, or one error naming the layer, the stage, and what to do instead. */
export function facetOf<S extends LayerStage>(layer: Layer, stage: S): NonNullable<LayerDefinition<Layer>[S]> {
  const definition = definitionOf(layer);
  const facet = definition[stage];
  if (facet === undefined) {
    const hint = definition.unsupported?.[stage] ?? `supported kinds: ${kindsSupporting(stage).join(', ')}`;
    throw new UnsupportedError(`${describe(layer)} is not supported by ${STAGE_NAMES[stage]}; ${hint}`);
  }
  return facet as NonNullable<LayerDefinition<Layer>[S]>;
}

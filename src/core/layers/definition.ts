// A layer kind's definition: one object per kind (layers/<kind>/definition.ts), one slot per facet — what
// each stage needs from the kind. A stage that finds its slot empty says "layer X (Kind) is not supported
// by <stage>". Adding a facet for every kind (an ONNX mapping, a model-blob encoder) is one contract file
// in facets/, one optional slot here, and one file plus one entry in each kind's folder and definition.

import type { Activation, LayerBase } from './ir';
import type { BlobEncoder } from './facets/blob';
import type { CEmitter } from './facets/c';
import type { FloatReference } from './facets/float';
import type { IntegerReference } from './facets/integer';
import type { OnnxFacet } from './facets/onnx';
import type { QuantizeRule } from './facets/quantize';
import type { ShapeRule } from './facets/shape';
import type { TfjsForward } from './facets/tfjs';

/** The stages that read the table, by facet slot. */
export type LayerStage = 'shape' | 'float' | 'tfjs' | 'quantize' | 'integer' | 'c' | 'blob';

/** How deployment lowering (quantization/lower.ts) treats the kind. */
export interface LoweringRule {
  /** An identity at inference (Dropout): removed, its consumers read its input. */
  readonly removed?: true;
  /** A standalone activation that folds into a producer that `fusesActivation` (ReLU → 'relu'). */
  readonly foldsAs?: Exclude<Activation, 'linear'>;
  /** The kind has an `activation` field a following foldable activation may be folded into. */
  readonly fusesActivation?: true;
}

export interface LayerDefinition<L extends LayerBase & { kind: string }> {
  readonly kind: L['kind'];
  /** One line: what the layer computes and what each number format does with it. */
  readonly summary: string;
  readonly shape: ShapeRule<L>;
  readonly float?: FloatReference<L>;
  /** Loads the tfjs forward lazily (`() => import('./tfjs').then(…)`): the table must stay free of tfjs
   * for the C generator, the integer reference and config validation (see table.ts). */
  readonly tfjs?: () => Promise<TfjsForward<L>>;
  readonly quantize?: QuantizeRule<L>;
  readonly integer?: IntegerReference<L>;
  readonly c?: CEmitter<L>;
  /** ONNX export and import (models/onnx/); a kind without one is refused by name there. */
  readonly onnx?: OnnxFacet<L>;
  /** The layer's record in the Mote Runtime's model blob (docs/model-blob.md). */
  readonly blob?: BlobEncoder<L>;
  readonly lowering?: LoweringRule;
  /** A final layer of this kind turns logits into probabilities: training losses read its input. */
  readonly normalizesLogits?: true;
  /** Why a stage lacks this kind and what to do instead, appended to that stage's "not supported" error. */
  readonly unsupported?: Partial<Record<LayerStage, string>>;
}

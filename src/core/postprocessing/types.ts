// What a [[postprocessing]] kind receives and returns. The pipeline runs them in file order after a
// model's training; each may transform the float graph, rename the model (Qualia's `_fused`,
// `_q8_force_qoff_e0_LSQFalse`) and, for quantization, attach the fixed-point result used at deploy time.

import type { KindInfo } from '../base/kinds';
import type { ModelGraph } from '../models/graph';
import type { QuantizationOutcome } from '../quantization/outcome';
import type { BackendOptions } from '../training/backend';

export interface PostprocessingInput {
  /** The trained float graph (not modified in place). */
  graph: ModelGraph;
  /** Current model name, without the `_r<i>` suffix. */
  name: string;
  iteration: number;
  /** The [[model]] entry after the template merge (Qualia reads `update.quant_params` and `params`). */
  model: { kind?: string; params?: Record<string, unknown>; update?: { quant_params?: object }; optimizer?: { kind: string; params?: Record<string, unknown> } };
  /** bench.seed: QAT shuffles with a fork of it. */
  seed?: number;
  /**
   * Training samples for PTQ calibration and QAT, exactly as the model sees them: channels_last, after
   * preprocessing AND after the `evaluate = true` data augmentations (e.g. IntToFloat32 scaling 0..255 to
   * 0..1). Raw bytes here would calibrate every range 255× too wide.
   */
  train?: { x: Float32Array | Uint8Array; labels: Int32Array; count: number; shape: number[] };
  /** Where the step comes from, for error messages (`postprocessing[1]`). */
  where?: string;
  log?: (line: string) => void;
  onProgress?: (done: number, total: number) => void;
  /** The tfjs backend calibration and QAT run on (pipeline/postprocessing-job.ts: WASM wherever Mote runs). */
  backend?: BackendOptions;
}

export interface PostprocessingOutput {
  graph: ModelGraph;
  name: string;
  /** Set by QuantizationAwareTraining(FX). */
  quantization?: QuantizationOutcome;
  /** Files to write, relative to the workspace root (Qualia's layout, e.g. out/learningmodel/…). */
  exports: Record<string, string | Uint8Array>;
}

export interface PostprocessingKind<P = any> extends KindInfo<P> {
  run(params: P, input: PostprocessingInput): Promise<PostprocessingOutput>;
}

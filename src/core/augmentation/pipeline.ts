// Runs the [[data_augmentation]] list on a batch the way Qualia does: the `before` ones first, then the
// `after` ones, each group in file order; at evaluation only those with evaluate = true.

import { ConfigError, UnsupportedError } from '../base/errors';
import { didYouMean, parseOrThrow, type Issue } from '../base/schema';
import type { Rng } from '../base/rng';
import { createRng } from '../base/rng';
import type { Batch, CommonAugmentationParams } from './kind';
import { augmentationKinds } from './registry';

export interface AugmentationSpec { kind: string; params?: Record<string, unknown> }
export interface PreparedAugmentation { kind: string; where: string; params: CommonAugmentationParams; apply(batch: Batch, rng: Rng): Batch }

export function prepareAugmentations(specs: AugmentationSpec[]): PreparedAugmentation[] {
  const kinds = augmentationKinds as Record<string, { params: { parse(i: unknown, p: string, issues: Issue[]): CommonAugmentationParams }; apply(b: Batch, p: unknown, r: Rng): Batch }>;
  const prepared = specs.map((spec, i) => {
    const where = `data_augmentation[${i}]`;
    const kind = kinds[spec.kind];
    if (!kind) throw new UnsupportedError(`${where}: kind '${spec.kind}' is not supported${didYouMean(spec.kind, Object.keys(kinds))}; Mote supports: ${Object.keys(kinds).join(', ')}`);
    const params = parseOrThrow(kind.params, spec.params, `${where}.params`);
    return { kind: spec.kind, where, params, apply: (batch: Batch, rng: Rng) => kind.apply(batch, params, rng) };
  });
  return [...prepared.filter((a) => a.params.before), ...prepared.filter((a) => !a.params.before && a.params.after)];
}

/** Applies the prepared list; `phase` 'evaluate' keeps only evaluate = true kinds. */
export function runAugmentations(batch: Batch, prepared: PreparedAugmentation[], rng: Rng, phase: 'train' | 'evaluate'): Batch {
  let current = batch;
  for (const a of prepared) {
    if (phase === 'evaluate' && !a.params.evaluate) continue;
    try {
      current = a.apply(current, rng.fork(a.where));
    } catch (error) {
      if (error instanceof ConfigError) throw error;
      throw new ConfigError(`${a.where} (${a.kind}): ${(error as Error).message}`, { cause: error });
    }
  }
  return current;
}

/** Sample shape after the augmentations of `phase` (MFCC and Crop change it): the model's input shape. */
export function augmentedShape(shape: number[], classes: number, prepared: PreparedAugmentation[], phase: 'train' | 'evaluate' = 'train'): number[] {
  const size = shape.reduce((a, b) => a * b, 1);
  const probe: Batch = { x: new Float32Array(size), shape, labels: new Float32Array(classes), count: 1, classes, sourceDtype: 'uint8' };
  return runAugmentations(probe, prepared, createRng(0), phase).shape;
}

/**
 * Adapter for a training loop whose batches carry class indices (src/core/training's `augment` hook, typed
 * structurally here): converts to one-hot, runs the list for `phase`, and converts back. When a kind
 * produced soft labels (Mixup), `softLabels` holds them (count × classes) and `labels` the argmax: a loop
 * that does not read `softLabels` would silently train on hard labels, so it must opt in with
 * `acceptsSoftLabels`, otherwise Mixup is refused with a message.
 */
export function augmentationHook(
  prepared: PreparedAugmentation[],
  options: { classes: number; sourceDtype: 'uint8' | 'float32'; phase: 'train' | 'evaluate'; acceptsSoftLabels?: boolean },
): (batch: { x: Float32Array; shape: number[]; labels: Int32Array; count: number }, rng: Rng) => { x: Float32Array; shape: number[]; labels: Int32Array; count: number; softLabels?: Float32Array } {
  const active = prepared.filter((a) => options.phase === 'train' || a.params.evaluate);
  const mixup = active.find((a) => a.kind === 'Mixup');
  if (mixup && !options.acceptsSoftLabels) throw new UnsupportedError(`${mixup.where} (Mixup): the training loop does not take soft labels yet; remove Mixup from [[data_augmentation]] for now`);
  const { classes } = options;
  return (batch, rng) => {
    if (active.length === 0) return batch;
    const labels = new Float32Array(batch.count * classes);
    for (let i = 0; i < batch.count; i++) labels[i * classes + batch.labels[i]] = 1;
    const out = runAugmentations({ x: batch.x, shape: batch.shape, labels, count: batch.count, classes, sourceDtype: options.sourceDtype }, active, rng, options.phase);
    const hard = new Int32Array(out.count);
    let soft = false;
    for (let i = 0; i < out.count; i++) {
      let best = 0;
      for (let c = 0; c < classes; c++) {
        const v = out.labels[i * classes + c];
        if (v !== 0 && v !== 1) soft = true;
        if (v > out.labels[i * classes + best]) best = c;
      }
      hard[i] = best;
    }
    return soft ? { x: out.x, shape: out.shape, labels: hard, count: out.count, softLabels: out.labels } : { x: out.x, shape: out.shape, labels: hard, count: out.count };
  };
}

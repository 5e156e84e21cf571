// Runs the [[data_augmentation]] list on a batch the way Qualia does: the `before` ones first, then the
// `after` ones, each group in file order; at evaluation only those with evaluate = true.

import type { Issue } from '../config/schema';
import { ConfigError, UnsupportedError } from '../errors';
import { didYouMean } from '../config/schema';
import type { Rng } from '../random/rng';
import { createRng } from '../random/rng';
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
    const issues: Issue[] = [];
    const params = kind.params.parse(spec.params ?? {}, `${where}.params`, issues);
    const errors = issues.filter((x) => x.severity === 'error');
    if (errors.length) throw new ConfigError(errors.map((x) => `${x.path}: ${x.message}`).join('\n'));
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

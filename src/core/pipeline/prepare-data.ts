// preprocess_data: load the dataset, then run every [[preprocessing]] step in file order (Qualia's
// PreprocessData command). Takes a structural spec so that it does not depend on the config module's types.

import { UnsupportedError } from '../base/errors';
import { didYouMean, parseOrThrow } from '../base/schema';
import { createRng } from '../base/rng';
import type { DataBundle } from '../data/bundle';
import { classCounts, setsOf } from '../data/bundle';
import type { DatasetContext, ProgressFn } from '../data/kind';
import type { FileSource } from '../data/source';
import { datasetKinds } from '../data/registry';
import { preprocessingKinds } from '../preprocessing/registry';

export interface KindSpec { kind: string; params?: Record<string, unknown> }
export interface PreprocessSpec {
  dataset: KindSpec;
  preprocessing?: KindSpec[];
  /** bench.seed: seeds splits (DatasetSplitter, CopySet). */
  seed?: number;
}

function unknownKind(area: string, kind: string, known: string[]): UnsupportedError {
  return new UnsupportedError(`${area}: kind '${kind}' is not supported${didYouMean(kind, known)}; Mote supports: ${known.join(', ')}`);
}

/** Does this dataset kind read files (false for the built-in Digits)? */
export function datasetNeedsFiles(kind: string): boolean {
  const k = (datasetKinds as Record<string, { needsFiles: boolean }>)[kind];
  return k ? k.needsFiles : true;
}

export async function loadDataset(spec: KindSpec, source: FileSource | undefined, progress?: ProgressFn, context?: DatasetContext): Promise<DataBundle> {
  const kinds = datasetKinds as Record<string, (typeof datasetKinds)[keyof typeof datasetKinds]>;
  const kind = kinds[spec.kind];
  if (!kind) throw unknownKind('dataset', spec.kind, Object.keys(datasetKinds));
  const params = parseOrThrow(kind.params as any, spec.params, 'dataset.params');
  return (kind.load as (p: unknown, s: FileSource | undefined, pr?: ProgressFn, c?: DatasetContext) => Promise<DataBundle>)(params, source, progress, context);
}

export function applyPreprocessing(bundle: DataBundle, steps: KindSpec[], seed = 0, progress?: ProgressFn): DataBundle {
  const rng = createRng(seed);
  let current = bundle;
  const kinds = preprocessingKinds as Record<string, (typeof preprocessingKinds)[keyof typeof preprocessingKinds]>;
  steps.forEach((step, i) => {
    const where = `preprocessing[${i}]`;
    const kind = kinds[step.kind];
    if (!kind) throw unknownKind(where, step.kind, Object.keys(preprocessingKinds));
    const params = parseOrThrow(kind.params as any, step.params, `${where}.params`);
    progress?.({ stage: 'preprocess', done: i, total: steps.length, detail: step.kind });
    current = (kind.apply as (b: DataBundle, p: unknown, c: { rng: typeof rng; where: string }) => DataBundle)(current, params, { rng: rng.fork(where), where: `${where} (${step.kind})` });
  });
  if (steps.length) progress?.({ stage: 'preprocess', done: steps.length, total: steps.length });
  return current;
}

export async function preprocessData(spec: PreprocessSpec, source: FileSource | undefined, progress?: ProgressFn, context?: DatasetContext): Promise<DataBundle> {
  const bundle = await loadDataset(spec.dataset, source, progress, context);
  return applyPreprocessing(bundle, spec.preprocessing ?? [], spec.seed ?? 0, progress);
}

export interface SetSummary { set: string; count: number; shape: number[]; classCounts: number[] }
export interface BundleSummary { name: string; classNames: string[]; oneHot: boolean; sets: SetSummary[] }

export function summarizeBundle(bundle: DataBundle): BundleSummary {
  return {
    name: bundle.name,
    classNames: [...bundle.classNames],
    oneHot: bundle.oneHot ?? false,
    sets: setsOf(bundle).map(([set, s]) => ({ set, count: s.count, shape: [...s.shape], classCounts: classCounts(s, bundle.classNames.length) })),
  };
}

/** Lines for the terminal: one per set, then the classes with their counts. */
export function formatSummary(summary: BundleSummary): string {
  const lines = [`${summary.name}: ${summary.classNames.length} classes${summary.oneHot ? ' (one-hot targets)' : ''}`];
  for (const s of summary.sets) lines.push(`  ${s.set.padEnd(5)} ${String(s.count).padStart(7)} samples of [${s.shape.join(', ')}]`);
  const width = Math.max(...summary.classNames.map((n) => n.length), 5);
  lines.push(`  ${'class'.padEnd(width)} ${summary.sets.map((s) => s.set.padStart(7)).join(' ')}`);
  summary.classNames.forEach((name, c) => lines.push(`  ${name.padEnd(width)} ${summary.sets.map((s) => String(s.classCounts[c]).padStart(7)).join(' ')}`));
  return lines.join('\n');
}

// The model as [[postprocessing]] left it, for prepare_deploy: the float graph (versioned .mote file) and,
// after QuantizationAwareTraining, its fixed-point quantization (typed JSON, versioned).

import { InputFileError } from '../base/errors';
import type { ModelGraph } from '../models/graph';
import type { QuantizationOutcome } from '../quantization/outcome';
import { loadTrainedModel, saveTrainedModel, trainedModelPath } from '../training/weights-store';
import { runName } from '../base/naming';
import { parseTyped, stringifyTyped } from '../base/typed-json';
import type { Workspace } from '../base/workspace';

const QUANTIZATION_FORMAT_VERSION = 1;

export function quantizationPath(name: string, iteration: number): string {
  return `out/learningmodel/${runName(name, iteration)}.quantization.json`;
}

export async function saveFinalModel(workspace: Workspace, name: string, iteration: number, graph: ModelGraph, quantization: QuantizationOutcome | undefined): Promise<void> {
  await saveTrainedModel(workspace, name, iteration, graph);
  if (quantization) await workspace.writeFile(quantizationPath(name, iteration), stringifyTyped({ format: QUANTIZATION_FORMAT_VERSION, quantization }));
}

export async function loadFinalModel(workspace: Workspace, name: string, iteration: number): Promise<{ graph: ModelGraph; quantization?: QuantizationOutcome }> {
  if (!(await workspace.exists(trainedModelPath(name, iteration)))) {
    throw new InputFileError(`${trainedModelPath(name, iteration)} not found. Did you run 'train'?`);
  }
  const graph = await loadTrainedModel(workspace, name, iteration);
  const path = quantizationPath(name, iteration);
  if (!(await workspace.exists(path))) return { graph };
  const stored = parseTyped<{ format: number; quantization: QuantizationOutcome }>(await workspace.readText(path));
  if (stored.format !== QUANTIZATION_FORMAT_VERSION) throw new InputFileError(`${path}: format ${stored.format}, this Mote reads ${QUANTIZATION_FORMAT_VERSION}; run 'train' again`);
  return { graph, quantization: stored.quantization };
}

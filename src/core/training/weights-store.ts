// Trained weights on disk (Node) or in the experiment store (browser), under Qualia's names:
// `out/learningmodel/<name>_r<i>.mote` (Qualia writes `<name>_r<i>.pth`; Mote cannot read PyTorch pickles
// and says so). The file is the versioned ModelGraph format of src/core/models/serialize.ts.

import { InputFileError } from '../base/errors';
import type { ModelGraph } from '../models/graph';
import { decodeGraphFile, encodeGraphFile } from '../models/serialize';
import { runName } from '../base/naming';
import type { Workspace } from '../base/workspace';

export const LEARNINGMODEL_DIR = 'out/learningmodel';
export const MODEL_FILE_EXTENSION = 'mote';

export function trainedModelPath(name: string, iteration: number): string {
  return `${LEARNINGMODEL_DIR}/${runName(name, iteration)}.${MODEL_FILE_EXTENSION}`;
}

/** Writes the trained graph atomically (the workspace writes to a temporary name, then renames). */
export async function saveTrainedModel(workspace: Workspace, name: string, iteration: number, graph: ModelGraph): Promise<string> {
  const path = trainedModelPath(name, iteration);
  await workspace.writeFile(path, encodeGraphFile(graph));
  return path;
}

/** Reads `out/learningmodel/<name>_r<i>.mote` for `load = true`; explains a missing file or a .pth. */
export async function loadTrainedModel(workspace: Workspace, name: string, iteration: number): Promise<ModelGraph> {
  const path = trainedModelPath(name, iteration);
  if (!(await workspace.exists(path))) {
    const pth = `${LEARNINGMODEL_DIR}/${runName(name, iteration)}.pth`;
    const hint = (await workspace.exists(pth))
      ? `; ${pth} exists but is a PyTorch file, which Mote cannot read — train the model with Mote first (load = false)`
      : '; train the model first (train = true, load = false) or check the model name and bench.first_run';
    throw new InputFileError(`model '${name}' has load = true but ${path} does not exist${hint}`);
  }
  return decodeGraphFile(await workspace.readFile(path), path);
}

// Where a training's per-epoch checkpoints live in a workspace: `out/checkpoints/<model>_r<iteration>.ckpt`,
// one file per model and run index, overwritten each epoch (writes are atomic, so a reload mid-write leaves the
// previous epoch's file). The app's run workspace maps it onto IndexedDB; in Node it is a file.
import type { Workspace } from '../base/workspace';
import { CheckpointError, decodeCheckpoint, encodeCheckpoint, type TrainingCheckpoint } from './checkpoint';

export const CHECKPOINT_DIR = 'out/checkpoints';

export function checkpointPath(model: string, iteration: number): string {
  return `${CHECKPOINT_DIR}/${model}_r${iteration}.ckpt`;
}

export interface CheckpointStore {
  /** The saved checkpoint, undefined when there is none; an unreadable one is reported through `setAside`. */
  load(model: string, iteration: number, setAside: (why: string) => void): Promise<TrainingCheckpoint | undefined>;
  save(model: string, iteration: number, checkpoint: TrainingCheckpoint): Promise<void>;
}

export function workspaceCheckpoints(workspace: Workspace): CheckpointStore {
  return {
    async load(model, iteration, setAside) {
      const path = checkpointPath(model, iteration);
      if (!(await workspace.exists(path))) return undefined;
      try {
        return decodeCheckpoint(await workspace.readFile(path), path);
      } catch (error) {
        if (!(error instanceof CheckpointError)) throw error;
        setAside(error.message);
        return undefined;
      }
    },
    save: (model, iteration, checkpoint) => workspace.writeFile(checkpointPath(model, iteration), encodeCheckpoint(checkpoint)),
  };
}

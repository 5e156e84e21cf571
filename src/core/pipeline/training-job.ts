// A training job as it can cross a worker boundary (no functions): TrainOptions plus the experiment's
// [[data_augmentation]] specs, from which the hooks are built where the job runs. The CLI runs jobs in
// process, the app in the training worker; both through runTrainingJob.

import { augmentationHook, prepareAugmentations, type AugmentationSpec } from '../augmentation/pipeline';
import type { BackendName, BackendOptions } from '../training/backend';
import { trainModel, type TrainOptions, type TrainResult, type TrainingProgress } from '../training/train';
import type { TrainingCheckpoint } from '../training/checkpoint';

export type TrainingJob = Omit<TrainOptions, 'augment' | 'evaluationAugment' | 'signal' | 'onProgress' | 'onCheckpoint' | 'backend'> & {
  augmentations?: AugmentationSpec[];
  /** 'uint8' when the sets hold raw bytes (IntToFloat32 then converts). */
  sourceDtype?: 'uint8' | 'float32';
  backend?: BackendName;
};

export interface TrainingJobCallbacks {
  signal?: AbortSignal;
  onProgress?: (progress: TrainingProgress) => void;
  /** Each epoch's checkpoint (TrainOptions.onCheckpoint); the next epoch waits for the returned promise. */
  onCheckpoint?: (checkpoint: TrainingCheckpoint) => void | Promise<void>;
}

/** Runs a job wherever it is called: builds the augmentation hooks, then trains. */
export function runTrainingJob(job: TrainingJob, callbacks: TrainingJobCallbacks = {}, backend: Omit<BackendOptions, 'preferred'> = {}): Promise<TrainResult> {
  const { augmentations, sourceDtype, backend: preferred, ...options } = job;
  const prepared = prepareAugmentations(augmentations ?? []);
  const classes = job.data.classNames?.length ?? 0;
  const dtype = sourceDtype ?? 'float32';
  const hooks = prepared.length && classes
    ? {
        augment: augmentationHook(prepared, { classes, sourceDtype: dtype, phase: 'train', acceptsSoftLabels: true }),
        evaluationAugment: augmentationHook(prepared, { classes, sourceDtype: dtype, phase: 'evaluate' }),
      }
    : {};
  return trainModel({ ...options, ...hooks, signal: callbacks.signal, onProgress: callbacks.onProgress, onCheckpoint: callbacks.onCheckpoint, backend: { ...backend, preferred } });
}

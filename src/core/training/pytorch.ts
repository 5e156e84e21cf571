import { type Infer, boolean, integer, list, oneOf, string, table, union } from '../base/schema';
import type { KindInfo } from '../base/kinds';

/** Every metric name Qualia's PyTorch framework knows; Mote computes the classification ones. */
export const QUALIA_METRICS = ['prec', 'rec', 'f1', 'acc', 'avgclsacc', 'mse', 'mae', 'mape', 'corr', 'slope'] as const;

const params = table({
  use_best_epoch: boolean(false),
  metrics: list(oneOf(QUALIA_METRICS), ['prec', 'rec', 'f1', 'acc', 'avgclsacc']),
  loss: oneOf(['crossentropy', 'mse'] as const, 'crossentropy'),
  enable_confusion_matrix: boolean(true),
  checkpoint_metric: table({ name: string('val_avgclsacc'), mode: oneOf(['max', 'min'] as const, 'max') }),
  // Accepted for compatibility and ignored: Mote picks the tfjs backend itself, always trains in float32
  // and reports progress through its own events.
  enable_progress_bar: boolean(true),
  progress_bar_refresh_rate: integer(1, { min: 0 }),
  accelerator: string('auto'),
  devices: union<unknown>([integer(), string(), list(integer())], 'auto'),
  precision: union<unknown>([integer(), string()], 32),
});

export type PyTorchParams = Infer<typeof params>;

/** Params Mote accepts but does not act on (documented in the UI and `mote explain`). */
export const PYTORCH_IGNORED_PARAMS = ['enable_progress_bar', 'progress_bar_refresh_rate', 'accelerator', 'devices', 'precision'] as const;

/**
 * Qualia's `PyTorch` learning framework, trained with tfjs: use_best_epoch (weights of the best epoch by
 * checkpoint_metric), metrics, loss ('crossentropy' on class indices or 'mse' on one-hot targets),
 * confusion matrix. accelerator/devices/precision/progress-bar params are accepted and ignored.
 */
export const pytorch: KindInfo<PyTorchParams> = {
  kind: 'PyTorch',
  summary: 'Qualia\'s PyTorch framework semantics, trained with tfjs (WebGPU, WASM or CPU)',
  params,
};

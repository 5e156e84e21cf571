// Classification metrics as Qualia reports them (torchmetrics, multiclass): micro precision/recall/F1 equal
// accuracy for single-label data; avgclsacc is the macro average of per-class recall over the classes that
// occur in the targets or the predictions.

export const METRIC_NAMES = ['prec', 'rec', 'f1', 'acc', 'avgclsacc'] as const;
export type MetricName = (typeof METRIC_NAMES)[number];

/** confusion[actual][predicted] = count. */
export type ConfusionMatrix = number[][];

export function emptyConfusion(classes: number): ConfusionMatrix {
  return Array.from({ length: classes }, () => new Array<number>(classes).fill(0));
}

export function accumulateConfusion(confusion: ConfusionMatrix, labels: ArrayLike<number>, predictions: ArrayLike<number>): void {
  for (let i = 0; i < labels.length; i++) confusion[labels[i]][predictions[i]]++;
}

export function accuracy(confusion: ConfusionMatrix): number {
  let correct = 0;
  let total = 0;
  confusion.forEach((row, i) => row.forEach((n, j) => { total += n; if (i === j) correct += n; }));
  return total === 0 ? 0 : correct / total;
}

export function averageClassAccuracy(confusion: ConfusionMatrix): number {
  let sum = 0;
  let counted = 0;
  for (let c = 0; c < confusion.length; c++) {
    const support = confusion[c].reduce((a, b) => a + b, 0);
    const predicted = confusion.reduce((a, row) => a + row[c], 0);
    if (support === 0 && predicted === 0) continue;
    sum += support === 0 ? 0 : confusion[c][c] / support;
    counted++;
  }
  return counted === 0 ? 0 : sum / counted;
}

export function computeMetrics(confusion: ConfusionMatrix, names: readonly string[] = METRIC_NAMES): Record<string, number> {
  const acc = accuracy(confusion);
  const out: Record<string, number> = {};
  for (const name of names) {
    if (name === 'acc' || name === 'prec' || name === 'rec' || name === 'f1') out[name] = acc;
    else if (name === 'avgclsacc') out[name] = averageClassAccuracy(confusion);
  }
  return out;
}

import { ConfigError } from '../../base/errors';
import { integer, optional, table } from '../../base/schema';
import type { PreprocessingKind } from '../kind';

const params = table({ classes: optional(integer(undefined, { min: 1 })) });

/**
 * Qualia one-hot encodes labels here. Mote keeps class indices (smaller, exact) and marks the bundle as
 * one-hot so the trainer builds one-hot targets (and the cross-entropy Qualia uses on them) where needed.
 */
export const Class2BinMatrix = {
  kind: 'Class2BinMatrix',
  summary: 'Marks labels as one-hot for training (Mote keeps class indices and builds one-hot targets where a loss needs them)',
  params,
  apply(bundle, p, ctx) {
    let classNames = bundle.classNames;
    if (p.classes !== undefined) {
      if (p.classes < classNames.length) throw new ConfigError(`${ctx.where}: params.classes = ${p.classes} but the dataset has ${classNames.length} classes (${classNames.slice(0, 6).join(', ')}${classNames.length > 6 ? ', …' : ''}); remove 'classes' or raise it`);
      classNames = [...classNames, ...Array.from({ length: p.classes - classNames.length }, (_, i) => `class_${classNames.length + i}`)];
    }
    return { ...bundle, classNames, oneHot: true };
  },
} satisfies PreprocessingKind<ReturnType<typeof params.parse>>;

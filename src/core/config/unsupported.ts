// Which kinds of an experiment Mote cannot run yet, per stage, so the pipeline can refuse a stage up front
// with one clear message instead of failing halfway. Loading accepts Qualia kinds Mote lacks (warning only).

import { defaultCatalog, supportedKinds, type Catalog } from '../catalog';
import type { KindArea } from '../base/kinds';
import type { Experiment } from './experiment';
import { areaNames } from './qualia-kinds';

export type Stage = 'preprocess_data' | 'train' | 'prepare_deploy' | 'deploy_and_evaluate';

/**
 * Messages "model kind 'X' (model[1]) is not supported by Mote yet; supported: …", one per area and kind.
 * `tolerate` names areas the caller handles itself (the app evaluates on its own board when it lacks the target).
 */
export function unsupportedKinds(experiment: Experiment, stage: Stage, catalog: Catalog = defaultCatalog(), options: { tolerate?: readonly KindArea[] } = {}): string[] {
  const uses: { area: KindArea; kind: string; where: string }[] = [];
  const add = (area: KindArea, kind: string, where: string) => uses.push({ area, kind, where });

  add('dataset', experiment.dataset.kind, 'dataset');
  experiment.preprocessing.forEach((p, i) => add('preprocessing', p.kind, `preprocessing[${i}]`));
  const messages: string[] = [];
  if (stage !== 'preprocess_data') {
    add('learningframework', experiment.learningframework.kind, 'learningframework');
    experiment.data_augmentation.forEach((d, i) => add('data_augmentation', d.kind, `data_augmentation[${i}]`));
    experiment.model.forEach((m, i) => { if (!m.disabled) add('model', m.kind, `model[${i}]`); });
    experiment.postprocessing.forEach((p, i) => add('postprocessing', p.kind, `postprocessing[${i}]`));
  }
  if (stage === 'prepare_deploy' || stage === 'deploy_and_evaluate') {
    if (!experiment.deploy) {
      messages.push(`${stage} needs a [deploy] table (target, converter.kind, quantize); this experiment has none`);
    } else {
      add('converter', experiment.deploy.converter.kind, 'deploy.converter');
      add('target', experiment.deploy.target, 'deploy.target');
    }
  }

  const grouped = new Map<string, { area: KindArea; kind: string; where: string[] }>();
  for (const use of uses) {
    if (catalog[use.area][use.kind] || options.tolerate?.includes(use.area)) continue;
    const key = `${use.area}\u0000${use.kind}`;
    const entry = grouped.get(key) ?? { area: use.area, kind: use.kind, where: [] };
    entry.where.push(use.where);
    grouped.set(key, entry);
  }
  for (const { area, kind, where } of grouped.values()) {
    const supported = supportedKinds(catalog, area);
    messages.push(`${areaNames[area]} kind '${kind}' (${where.join(', ')}) is not supported by Mote yet; supported: ${supported.length ? supported.join(', ') : 'none yet'}`);
  }
  return messages;
}

// Recorded: a dataset the user recorded or imported in the app (Data page), stored in the browser by name.
// Sets follow each sample's stored assignment (a share of every class goes to test as it is recorded, or
// the train/test split of the import); values come back as the original kinds give them.

import { InputFileError } from '../../base/errors';
import { string, table } from '../../base/schema';
import type { DatasetKind } from '../kind';
import { bundleFromSamples, readAllSamples } from '../library';

const params = table({
  name: string(),
});

export const Recorded = {
  kind: 'Recorded',
  summary: "A dataset recorded or imported on Mote's Data page (board sensors, micro:bit, camera, microphone, image folder, CSV), by its name",
  params,
  needsFiles: false,
  async load(p, _source, progress, context) {
    const library = context?.library;
    if (!library) {
      throw new InputFileError(`dataset '${p.name}' (kind Recorded) lives in the app's browser storage, which is not available here; in the app, export it from the Data page (CSV for sensor windows, a zip of PNG/WAV class folders) and read the export with kind CSV, EdgeImpulse or ImageFolder`);
    }
    const info = await library.find(p.name);
    if (!info) {
      const names = (await library.list()).map((d) => `'${d.name}'`);
      throw new InputFileError(`no dataset named '${p.name}' on the Data page${names.length ? `; the stored datasets are ${names.join(', ')}` : ' (none is stored yet: record or import one there)'}; set [dataset] params.name to one of them`);
    }
    if (info.sampleCount === 0) throw new InputFileError(`dataset '${p.name}' has no samples yet: record some on the Data page first`);
    const samples = await readAllSamples(library, info);
    progress?.({ stage: 'import', done: 1, total: 1, detail: `${p.name} (${info.sampleCount} samples)` });
    const bundle = bundleFromSamples(info, samples);
    if (bundle.train.count === 0 || bundle.test.count === 0) {
      throw new InputFileError(`dataset '${p.name}' has ${bundle.train.count} training and ${bundle.test.count} test samples; both are needed (every 5th recording of a class goes to test: record at least 5 per class)`);
    }
    return bundle;
  },
} satisfies DatasetKind<ReturnType<typeof params.parse>>;

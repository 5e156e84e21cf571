// GSC: Google Speech Commands v2 (Warden 2018) in its original layout (tar.gz or extracted folder):
// <word>/<speaker>_nohash_<n>.wav, validation_list.txt, testing_list.txt, _background_noise_/.
// Clips are PCM16 mono 16 kHz, zero-padded (or cut) to record_length samples, scaled to [-1, 1), shape
// [record_length, 1]. Splits follow the lists; everything else is training. Qualia's subset 'tensorflow'
// (12 classes with _silence_/_unknown_, test set from test_path) is accepted by the schema, so upstream configs
// validate, and refused when loading.

import { InputFileError, UnsupportedError } from '../../base/errors';
import { boolean, integer, oneOf, optional, string, table } from '../../base/schema';
import type { DataBundle, DataSet } from '../bundle';
import { makeSet } from '../bundle';
import type { DatasetKind } from '../kind';
import { requireSource } from '../kind';
import { locateDataset } from '../locate';
import { textLines } from '../text';
import { readWav } from '../wav';

export const GSC_DIGITS = ['zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine'];
const BACKGROUND = '_background_noise_';

const params = table({
  path: string(''),
  test_path: optional(string()),
  variant: oneOf(['v2'] as const, 'v2'),
  subset: oneOf(['digits', 'no_background_noise', 'tensorflow'] as const, 'digits'),
  train_valid_split: boolean(false),
  record_length: integer(16000, { min: 1 }),
});

export const GSC = {
  kind: 'GSC',
  summary: "Google Speech Commands v2 (tar.gz or folder): PCM16 16 kHz clips → [record_length, 1] in [-1, 1); subset 'digits' (zero…nine) or 'no_background_noise' (every word)",
  params,
  needsFiles: true,
  async load(p, source, progress?) {
    if (p.subset === 'tensorflow') throw new UnsupportedError("GSC: subset 'tensorflow' (TensorFlow's 12-class benchmark with _silence_ and _unknown_) is not supported yet; use subset 'digits' or 'no_background_noise'");
    if (p.test_path) throw new UnsupportedError("GSC: a separate test_path (the speech_commands_test_set archive) is not supported yet; remove test_path to use testing_list.txt of the main archive");
    const keep = p.subset === 'digits'
      ? (f: string) => f.endsWith('.txt') || GSC_DIGITS.some((w) => f.startsWith(w + '/') || f.includes('/' + w + '/'))
      : (f: string) => !f.includes(BACKGROUND);
    const root = await locateDataset(requireSource('GSC', source), {
      markers: ['testing_list.txt', 'validation_list.txt'],
      expected: 'Google Speech Commands (word folders of WAVs with validation_list.txt and testing_list.txt)',
      keep,
    });
    const files = await root.list();
    const fileSet = new Set(files);
    for (const list of ['validation_list.txt', 'testing_list.txt']) {
      if (!fileSet.has(list)) throw new InputFileError(`${root.label}: '${list}' not found; Speech Commands v2 ships both validation_list.txt and testing_list.txt`);
    }
    const validation = new Set(textLines(await root.read('validation_list.txt')));
    const testing = new Set(textLines(await root.read('testing_list.txt')));
    const clips = files.filter((f) => /^[^/]+\/[^/]+\.wav$/i.test(f) && !f.startsWith(BACKGROUND + '/'));
    const words = [...new Set(clips.map((f) => f.slice(0, f.indexOf('/'))))];
    const classNames = p.subset === 'digits' ? GSC_DIGITS.filter((w) => words.includes(w)) : words.sort();
    if (p.subset === 'digits' && classNames.length !== GSC_DIGITS.length) {
      const missing = GSC_DIGITS.filter((w) => !words.includes(w));
      throw new InputFileError(`${root.label}: subset 'digits' needs the folders zero … nine; missing: ${missing.join(', ')}`);
    }
    if (classNames.length === 0) throw new InputFileError(`${root.label}: no <word>/<clip>.wav files found`);
    for (const listed of [...validation, ...testing]) {
      if (!fileSet.has(listed) && classNames.includes(listed.slice(0, listed.indexOf('/')))) throw new InputFileError(`${root.label}: '${listed}' is listed in validation_list.txt/testing_list.txt but not in the archive; the copy is incomplete`);
    }
    const groups: Record<'train' | 'valid' | 'test', { file: string; label: number }[]> = { train: [], valid: [], test: [] };
    for (const file of clips) {
      const label = classNames.indexOf(file.slice(0, file.indexOf('/')));
      if (label < 0) continue;
      const set = testing.has(file) ? 'test' : validation.has(file) ? (p.train_valid_split ? 'valid' : 'train') : 'train';
      groups[set].push({ file, label });
    }
    const total = clips.length;
    let done = 0;
    const readGroup = async (items: { file: string; label: number }[]): Promise<DataSet> => {
      const x = new Float32Array(items.length * p.record_length);
      const labels = new Int32Array(items.length);
      for (const [i, item] of items.entries()) {
        const label = `${root.label}: ${item.file}`;
        const wav = readWav(await root.read(item.file), label);
        if (wav.sampleRate !== 16000) throw new InputFileError(`${label}: sample rate ${wav.sampleRate} Hz, Speech Commands clips are 16 000 Hz; resample it first`);
        const n = Math.min(wav.samples.length, p.record_length);
        for (let t = 0; t < n; t++) x[i * p.record_length + t] = wav.samples[t] / 32768;
        labels[i] = item.label;
        if (++done % 500 === 0) progress?.({ stage: 'import', done, total, detail: 'Speech Commands' });
      }
      return makeSet(x, [p.record_length, 1], labels);
    };
    const train = await readGroup(groups.train);
    const valid = p.train_valid_split ? await readGroup(groups.valid) : undefined;
    const test = await readGroup(groups.test);
    progress?.({ stage: 'import', done: total, total });
    const bundle: DataBundle = { name: 'GSC', train, test, classNames };
    if (valid) bundle.valid = valid;
    return bundle;
  },
} satisfies DatasetKind<ReturnType<typeof params.parse>>;

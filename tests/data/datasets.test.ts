import { describe, expect, it, beforeAll, afterAll } from 'vitest';
import { mkdtempSync, mkdirSync, writeFileSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { gzipSync, zipSync } from 'fflate';
import { InputFileError } from '../../src/core/base/errors';
import { datasetKinds } from '../../src/core/data/registry';
import { openNodePath } from '../../src/core/data/source.node';
import { fileListSource } from '../../src/core/data/source.browser';
import { memorySource } from '../../src/core/data/source';
import { classCounts } from '../../src/core/data/bundle';
import type { Issue } from '../../src/core/base/schema';
import {
  CIFAR_NAMES, GSC_FIXTURE_WORDS, UCI_ACTIVITIES, cifarFiles, cifarValue, gscFiles, gscSample, mnistFiles, mnistPixel,
  text, uciFeature, uciHarFiles, uciHarNestedZip, uciRaw, wav, writeTar,
} from './fixtures';

let root: string;
beforeAll(() => { root = mkdtempSync(join(tmpdir(), 'mote-data-')); });
afterAll(() => rmSync(root, { recursive: true, force: true }));

function writeTree(dir: string, files: Record<string, Uint8Array>): string {
  for (const [path, bytes] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), bytes);
  }
  return dir;
}
function writeFile(name: string, bytes: Uint8Array): string {
  const path = join(root, name);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, bytes);
  return path;
}
function params<K extends keyof typeof datasetKinds>(kind: K, input: Record<string, unknown>) {
  const issues: Issue[] = [];
  const value = datasetKinds[kind].params.parse(input, 'dataset.params', issues);
  expect(issues).toEqual([]);
  return value as any;
}
async function load(kind: keyof typeof datasetKinds, path: string, p: Record<string, unknown> = {}) {
  const k = datasetKinds[kind] as any;
  return k.load(params(kind, p), await openNodePath(path));
}
async function loadError(kind: keyof typeof datasetKinds, path: string, p: Record<string, unknown> = {}): Promise<InputFileError> {
  const error = await load(kind, path, p).then(() => undefined, (e: unknown) => e);
  expect(error).toBeInstanceOf(InputFileError);
  return error as InputFileError;
}

describe('UCI_HAR', () => {
  it('reads the raw variant from the extracted folder: [128, 9] windows in Qualia channel order, labels 0..5', async () => {
    const dir = writeTree(join(root, 'uci-folder'), uciHarFiles());
    const bundle = await load('UCI_HAR', join(dir, 'UCI HAR Dataset'), { variant: 'raw' });
    expect(bundle.name).toBe('UCI_HAR_raw');
    expect(bundle.classNames).toEqual(UCI_ACTIVITIES);
    expect(bundle.train.count).toBe(12);
    expect(bundle.test.count).toBe(6);
    expect(bundle.train.shape).toEqual([128, 9]);
    expect(Array.from(bundle.train.labels.slice(0, 7))).toEqual([0, 1, 2, 3, 4, 5, 0]);
    for (const [s, t, c] of [[0, 0, 0], [3, 17, 4], [11, 127, 8]]) {
      expect(bundle.train.x[s * 128 * 9 + t * 9 + c]).toBeCloseTo(uciRaw('train', s, t, c), 6);
    }
    expect(bundle.test.x[5 * 1152 + 100 * 9 + 6]).toBeCloseTo(uciRaw('test', 5, 100, 6), 6);
    expect(bundle.valid).toBeUndefined();
  });

  it('reads the 561 features from the inner zip, and the same from the outer UCI download (zip inside a zip, __MACOSX ignored)', async () => {
    const inner = writeFile('UCI HAR Dataset.zip', zipSync(uciHarFiles()));
    const outer = writeFile('human+activity+recognition+using+smartphones.zip', uciHarNestedZip());
    const a = await load('UCI_HAR', inner);
    const b = await load('UCI_HAR', outer);
    expect(a.name).toBe('UCI_HAR_features');
    expect(a.train.shape).toEqual([561]);
    expect(a.train.x[3 * 561 + 560]).toBeCloseTo(uciFeature('train', 3, 560), 7);
    expect(Array.from(b.train.x)).toEqual(Array.from(a.train.x));
    expect(Array.from(b.test.labels)).toEqual(Array.from(a.test.labels));
    const raw = await load('UCI_HAR', outer, { variant: 'raw' });
    expect(raw.test.x[2 * 1152 + 5 * 9 + 1]).toBeCloseTo(uciRaw('test', 2, 5, 1), 6);
  });

  it('names the missing file, the short file and the bad label', async () => {
    const missing = uciHarFiles();
    delete missing['UCI HAR Dataset/train/Inertial Signals/body_gyro_y_train.txt'];
    const e1 = await loadError('UCI_HAR', writeTree(join(root, 'uci-missing'), missing), { variant: 'raw' });
    expect(e1.message).toMatch(/uci-missing: file 'UCI HAR Dataset\/train\/Inertial Signals\/body_gyro_y_train.txt' not found/);

    const short = uciHarFiles();
    const lines = new TextDecoder().decode(short['UCI HAR Dataset/test/X_test.txt']).split('\n');
    short['UCI HAR Dataset/test/X_test.txt'] = text(lines.slice(0, 4).join('\n') + '\n');
    const e2 = await loadError('UCI_HAR', writeTree(join(root, 'uci-short'), short));
    expect(e2.message).toMatch(/test\/X_test.txt has 4 rows but test\/y_test.txt has 6/);

    const cut = uciHarFiles();
    const t = new TextDecoder().decode(cut['UCI HAR Dataset/train/X_train.txt']);
    cut['UCI HAR Dataset/train/X_train.txt'] = text(t.slice(0, t.length - 97));
    const e3 = await loadError('UCI_HAR', writeTree(join(root, 'uci-cut'), cut));
    expect(e3.message).toMatch(/X_train.txt: line 12 has 555 values, expected 561/);

    const bad = uciHarFiles();
    bad['UCI HAR Dataset/train/y_train.txt'] = text('1\n2\n7\n' + '1\n'.repeat(9));
    const e4 = await loadError('UCI_HAR', writeTree(join(root, 'uci-label'), bad));
    expect(e4.message).toMatch(/y_train.txt: line 3 has label 7, expected an activity number 1..6/);

    const e5 = await loadError('UCI_HAR', writeTree(join(root, 'not-uci'), { 'notes.txt': text('x') }));
    expect(e5.message).toMatch(/does not look like the UCI HAR Dataset \(a folder 'UCI HAR Dataset' with activity_labels.txt, train\/ and test\/\): none of 'activity_labels.txt' was found \(found 1 file: 'notes.txt'\)/);

    const e6 = await loadError('UCI_HAR', writeFile('broken.zip', zipSync(uciHarFiles()).subarray(0, 5000)));
    expect(e6.message).toMatch(/broken.zip: the zip has no central directory/);
  });

  it('says when the path does not exist', async () => {
    await expect(openNodePath(join(root, 'nowhere'))).rejects.toThrow(/dataset path '.*nowhere' does not exist; set \[dataset\] params.path/);
  });
});

describe('MNIST and FashionMNIST (idx)', () => {
  it('reads idx.gz and raw idx identically, [28, 28, 1], pixel values kept', async () => {
    const gz = writeTree(join(root, 'mnist-gz'), mnistFiles());
    const raw = writeTree(join(root, 'mnist-raw'), mnistFiles(undefined, false));
    const a = await load('MNIST', gz);
    const b = await load('FashionMNIST', raw, { dtype: 'uint8' });
    expect(a.train.count).toBe(20);
    expect(a.test.count).toBe(10);
    expect(a.train.shape).toEqual([28, 28, 1]);
    expect(a.train.x).toBeInstanceOf(Float32Array);
    expect(b.train.x).toBeInstanceOf(Uint8Array);
    expect(a.train.x[5 * 784 + 300]).toBe(mnistPixel('train', 5, 300));
    expect(b.test.x[9 * 784 + 783]).toBe(mnistPixel('test', 9, 783));
    expect(Array.from(a.train.x)).toEqual(Array.from(b.train.x));
    expect(Array.from(a.test.labels)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(b.classNames[9]).toBe('Ankle boot');
    expect(a.name).toBe('MNIST');
  });

  it('rejects wrong magic, truncation and count mismatches, naming the file', async () => {
    const files = mnistFiles(undefined, false);
    const swap = { ...files, 'train-images-idx3-ubyte': files['train-labels-idx1-ubyte'] };
    expect((await loadError('MNIST', writeTree(join(root, 'mnist-swap'), swap))).message).toMatch(/train-images-idx3-ubyte: IDX file has 1 dimensions, expected 3 \(images\); are the image and label files swapped\?/);
    const cut = { ...files, 't10k-images-idx3-ubyte': files['t10k-images-idx3-ubyte'].subarray(0, 5000) };
    expect((await loadError('MNIST', writeTree(join(root, 'mnist-cut'), cut))).message).toMatch(/t10k-images-idx3-ubyte: IDX size mismatch: header says \[10 × 28 × 28\] = 7856 bytes, the file has 5000 \(truncated\)/);
    const magic = { ...files, 'train-labels-idx1-ubyte': text('PK\x03\x04 not idx') };
    expect((await loadError('MNIST', writeTree(join(root, 'mnist-magic'), magic))).message).toMatch(/train-labels-idx1-ubyte: not an IDX file \(magic 50 4b 03 04, expected 00 00 08 01\)/);
    const gzFiles = mnistFiles();
    const badGz = { ...gzFiles, 'train-labels-idx1-ubyte.gz': gzFiles['train-labels-idx1-ubyte.gz'].subarray(0, 20) };
    expect((await loadError('MNIST', writeTree(join(root, 'mnist-badgz'), badGz))).message).toMatch(/train-labels-idx1-ubyte.gz: the gzip data is damaged or truncated/);
    const fewer = mnistFiles({ train: 20, test: 10 }, false);
    fewer['t10k-labels-idx1-ubyte'] = mnistFiles({ train: 20, test: 9 }, false)['t10k-labels-idx1-ubyte'];
    expect((await loadError('MNIST', writeTree(join(root, 'mnist-fewer'), fewer))).message).toMatch(/t10k-images-idx3-ubyte holds 10 images but t10k-labels-idx1-ubyte holds 9 labels/);
    const noTest = { ...files };
    delete noTest['t10k-labels-idx1-ubyte'];
    expect((await loadError('MNIST', writeTree(join(root, 'mnist-notest'), noTest))).message).toMatch(/'t10k-labels-idx1-ubyte.gz' \(or 't10k-labels-idx1-ubyte'\) not found/);
  });

  const real = '/usr/share/datasets/fashion-mnist';
  const haveReal = existsSync(real);
  if (!haveReal && !process.env.CI) console.warn(`skipping the real Fashion-MNIST test: ${real} is missing (run scripts/install-system-packages.sh)`);
  it.runIf(haveReal || process.env.CI)('reads the real Fashion-MNIST: 60 000 / 10 000, 6 000 per class in train', async () => {
    const bundle = await load('FashionMNIST', real, { dtype: 'uint8' });
    expect(bundle.train.count).toBe(60000);
    expect(bundle.test.count).toBe(10000);
    expect(classCounts(bundle.train, 10)).toEqual(new Array(10).fill(6000));
    expect(classCounts(bundle.test, 10)).toEqual(new Array(10).fill(1000));
    expect(bundle.train.labels[0]).toBe(9); // the first training image is an ankle boot
  });
});

describe('CIFAR10 (binary)', () => {
  it('reads cifar-10-binary.tar.gz: CHW records become [32, 32, 3], names from batches.meta.txt', async () => {
    const path = writeFile('cifar-10-binary.tar.gz', gzipSync(writeTar(cifarFiles())));
    const bundle = await load('CIFAR10', path, { dtype: 'uint8' });
    expect(bundle.classNames).toEqual(CIFAR_NAMES);
    expect(bundle.train.count).toBe(15);
    expect(bundle.test.count).toBe(3);
    expect(bundle.train.shape).toEqual([32, 32, 3]);
    // train sample 4 is record 1 of data_batch_2
    for (const [y, x, c] of [[0, 0, 0], [7, 30, 2], [31, 31, 1]]) {
      expect(bundle.train.x[4 * 3072 + (y * 32 + x) * 3 + c]).toBe(cifarValue(2, 1, y, x, c));
    }
    expect(bundle.train.labels[4]).toBe(3);
    const folder = await load('CIFAR10', writeTree(join(root, 'cifar-folder'), cifarFiles()));
    expect(Array.from(folder.test.x.slice(0, 50))).toEqual(Array.from(bundle.test.x.slice(0, 50), Number));
  });

  it('rejects a truncated batch and a CIFAR-100 file', async () => {
    const files = cifarFiles();
    files['cifar-10-batches-bin/data_batch_3.bin'] = files['cifar-10-batches-bin/data_batch_3.bin'].subarray(0, 3073 * 2 + 100);
    expect((await loadError('CIFAR10', writeTree(join(root, 'cifar-cut'), files))).message).toMatch(/data_batch_3.bin has 6246 bytes, not a whole number of 3 073-byte CIFAR-10 records/);
    const hundred = cifarFiles();
    hundred['cifar-10-batches-bin/test_batch.bin'] = new Uint8Array(3074 * 3);
    expect((await loadError('CIFAR10', writeTree(join(root, 'cifar-100'), hundred))).message).toMatch(/this looks like CIFAR-100/);
    const python = writeTree(join(root, 'cifar-py'), { 'cifar-10-batches-py/data_batch_1': text('pickle'), 'cifar-10-batches-py/batches.meta': text('pickle') });
    expect((await loadError('CIFAR10', python)).message).toMatch(/this is the Python \(pickle\) version of CIFAR-10; Mote reads the binary version: download cifar-10-binary.tar.gz/);
    const tgz = gzipSync(writeTar(cifarFiles()));
    expect((await loadError('CIFAR10', writeFile('cut.tar.gz', tgz.subarray(0, tgz.length - 2000)))).message).toMatch(/cut.tar.gz: the (gzip stream ends early|gzip data is damaged)/);
  });
});

describe('GSC (Speech Commands v2)', () => {
  it('reads the tar.gz with ./ entries: lists decide valid/test, short clips zero-padded, digits subset in numeric order', async () => {
    const files = Object.fromEntries(Object.entries(gscFiles()).map(([k, v]) => ['./' + k, v]));
    const path = writeFile('speech_commands_v0.02.tar.gz', gzipSync(writeTar(files)));
    const bundle = await load('GSC', path, { record_length: 40, train_valid_split: true });
    expect(bundle.classNames).toEqual(GSC_FIXTURE_WORDS.slice(0, 10));
    expect([bundle.train.count, bundle.valid.count, bundle.test.count]).toEqual([10, 10, 10]);
    expect(bundle.train.shape).toEqual([40, 1]);
    // train sample 3 is 'three' clip 0 (30 samples, then zeros)
    const s = 3;
    expect(bundle.train.labels[s]).toBe(3);
    expect(bundle.train.x[s * 40 + 7]).toBeCloseTo(gscSample(3, 0, 7) / 32768, 7);
    expect(bundle.train.x[s * 40 + 35]).toBe(0);
    expect(bundle.test.x[5 * 40 + 39]).toBeCloseTo(gscSample(bundle.test.labels[5], 2, 39) / 32768, 7);
  });

  it("merges validation clips into train without train_valid_split; 'no_background_noise' keeps every word", async () => {
    const dir = writeTree(join(root, 'gsc-folder'), gscFiles());
    const merged = await load('GSC', dir, { record_length: 40 });
    expect(merged.valid).toBeUndefined();
    expect(merged.train.count).toBe(20);
    const all = await load('GSC', dir, { record_length: 40, subset: 'no_background_noise' });
    expect(all.classNames).toEqual([...GSC_FIXTURE_WORDS].sort());
    expect(all.test.count).toBe(11);
  });

  it("accepts Qualia's subset 'tensorflow' and test_path in the schema but says they are not supported when loading", async () => {
    const dir = writeTree(join(root, 'gsc-tf'), gscFiles());
    await expect(load('GSC', dir, { subset: 'tensorflow' })).rejects.toThrow(/subset 'tensorflow' \(TensorFlow's 12-class benchmark with _silence_ and _unknown_\) is not supported yet/);
    await expect(load('GSC', dir, { test_path: 'data/speech_commands_test_set_v0.02/' })).rejects.toThrow(/a separate test_path .* is not supported yet/);
  });

  it('refuses µ-law and stereo clips and an incomplete copy', async () => {
    const mulaw = gscFiles();
    mulaw['four/00000040_nohash_0.wav'] = wav([1, 2, 3], { format: 7, bits: 8 });
    expect((await loadError('GSC', writeTree(join(root, 'gsc-mulaw'), mulaw), { record_length: 40 })).message).toMatch(/four\/00000040_nohash_0.wav: µ-law 8-bit mono WAV; Mote reads PCM 16-bit mono/);
    const stereo = gscFiles();
    stereo['one/00000010_nohash_0.wav'] = wav([1, 2, 3, 4], { channels: 2 });
    expect((await loadError('GSC', writeTree(join(root, 'gsc-stereo'), stereo), { record_length: 40 })).message).toMatch(/PCM 16-bit 2-channel WAV/);
    const incomplete = gscFiles();
    delete incomplete['two/00000022_nohash_2.wav'];
    expect((await loadError('GSC', writeTree(join(root, 'gsc-incomplete'), incomplete), { record_length: 40 })).message).toMatch(/'two\/00000022_nohash_2.wav' is listed in validation_list.txt\/testing_list.txt but not in the archive/);
  });
});

describe('Digits (built in)', () => {
  it('needs no file: 1 797 real digits, fixed stratified split 1 442 / 355, [8, 8, 1] values 0..16', async () => {
    const bundle = await datasetKinds.Digits.load({});
    expect(bundle.train.count).toBe(1442);
    expect(bundle.test.count).toBe(355);
    expect(bundle.train.shape).toEqual([8, 8, 1]);
    expect(classCounts(bundle.test, 10)).toEqual([35, 36, 35, 36, 36, 36, 36, 35, 34, 36]);
    expect(Math.max(...bundle.train.x)).toBe(16);
    expect(Math.min(...bundle.train.x)).toBe(0);
    // deterministic: the first training sample is row 0 of the file (a 0) or the split changed
    const again = await datasetKinds.Digits.load({});
    expect(Array.from(again.test.labels)).toEqual(Array.from(bundle.test.labels));
    expect(bundle.train.labels[0] === 0 || bundle.test.labels[0] === 0).toBe(true);
  });
});

describe('CSV', () => {
  it('reads header + label column; class names from distinct labels in numeric order', async () => {
    const source = memorySource('test csv', {
      'iris/train.csv': text('a,b,label\n1,2,10\n3,4,2\n"5",6,10\n'),
      'iris/test.csv': text('a,b,label\r\n7,8,2\r\n'),
    });
    const bundle = await datasetKinds.CSV.load(params('CSV', {}), source);
    expect(bundle.classNames).toEqual(['2', '10']);
    expect(Array.from(bundle.train.labels)).toEqual([1, 0, 1]);
    expect(Array.from(bundle.train.x)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(bundle.test.shape).toEqual([2]);
    const bad = memorySource('bad csv', { 'train.csv': text('a,b,class\n1,x,0\n'), 'test.csv': text('a,b,class\n1,2,0\n') });
    await expect(datasetKinds.CSV.load(params('CSV', {}), bad)).rejects.toThrow(/train.csv: no column named 'label' in the header \(a, b, class\)/);
    await expect(datasetKinds.CSV.load(params('CSV', { label: 'class' }), bad)).rejects.toThrow(/train.csv: line 2, column 'b': 'x' is not a number/);
  });
});

describe('browser sources', () => {
  it('reads picked files (webkitRelativePath) and a picked archive the same way as the folder', async () => {
    const files = Object.entries(mnistFiles()).map(([name, bytes]) => {
      const file = new File([bytes as Uint8Array<ArrayBuffer>], name);
      Object.defineProperty(file, 'webkitRelativePath', { value: `fashion/${name}` });
      return file;
    });
    const fromFolder = await (datasetKinds.MNIST as any).load(params('MNIST', {}), fileListSource(files));
    const zip = new File([zipSync(mnistFiles()) as Uint8Array<ArrayBuffer>], 'mnist.zip');
    const fromZip = await (datasetKinds.MNIST as any).load(params('MNIST', {}), fileListSource([zip]));
    expect(fromFolder.train.count).toBe(20);
    expect(Array.from(fromZip.train.x)).toEqual(Array.from(fromFolder.train.x));
  });
});

// Writers for miniature datasets in the exact original layouts (used by the loader tests; nothing here is
// read by Mote itself). Values are deterministic so tests can assert exact samples.

import { gzipSync, zipSync } from 'fflate';

export const text = (s: string) => new TextEncoder().encode(s);

/** UCI-HAR's fixed-width scientific notation: 16 characters, 3-digit exponent ("  2.8858451e-001"). */
export function uciNumber(v: number): string {
  const [m, e] = v.toExponential(7).split('e');
  return (m + 'e' + (e[0] === '-' ? '-' : '+') + String(Math.abs(+e)).padStart(3, '0')).padStart(16);
}

export const UCI_ACTIVITIES = ['WALKING', 'WALKING_UPSTAIRS', 'WALKING_DOWNSTAIRS', 'SITTING', 'STANDING', 'LAYING'];
export const UCI_CHANNELS = ['body_acc_x', 'body_acc_y', 'body_acc_z', 'body_gyro_x', 'body_gyro_y', 'body_gyro_z', 'total_acc_x', 'total_acc_y', 'total_acc_z'];

/** Value of raw channel `c`, time step `t` of window `s` of `set` in the UCI fixture. */
export const uciRaw = (set: string, s: number, t: number, c: number) => (set === 'train' ? 1 : -1) * (s * 0.01 + t * 0.0001 + c * 0.1 + 0.001234567);
export const uciFeature = (set: string, s: number, f: number) => (set === 'train' ? 1 : -1) * ((s + 1) * 0.001 + f * 1e-5);
export const uciLabel = (s: number) => (s % 6) + 1;

/** A learnable raw channel for `uciHarFiles`: activity `uciLabel(s) - 1` sets each channel's frequency and
 *  phase, plus a small deterministic jitter, so a small 1-D CNN tells the six activities apart. */
export const uciRawLearnable = (set: string, s: number, t: number, c: number) => {
  const k = uciLabel(s) - 1;
  const jitter = Math.sin((set === 'train' ? 12.9898 : 78.233) * (s * 1151 + t * 9 + c) ) * 0.15;
  return Math.sin((2 * Math.PI * (k + 1) * t) / 64 + c * 0.7 + k) * (0.5 + 0.1 * k) + jitter;
};

export function uciHarFiles(counts = { train: 12, test: 6 }, root = 'UCI HAR Dataset/', raw = uciRaw): Record<string, Uint8Array> {
  const files: Record<string, Uint8Array> = {};
  files[root + 'activity_labels.txt'] = text(UCI_ACTIVITIES.map((a, i) => `${i + 1} ${a}`).join('\n') + '\n');
  files[root + 'features.txt'] = text(Array.from({ length: 561 }, (_, i) => `${i + 1} f${i}`).join('\n') + '\n');
  files[root + 'README.txt'] = text('Human Activity Recognition Using Smartphones Dataset (fixture)\n');
  for (const set of ['train', 'test'] as const) {
    const n = counts[set];
    files[`${root}${set}/y_${set}.txt`] = text(Array.from({ length: n }, (_, s) => `${uciLabel(s)}`).join('\r\n') + '\r\n');
    files[`${root}${set}/subject_${set}.txt`] = text(Array.from({ length: n }, () => '1').join('\n') + '\n');
    files[`${root}${set}/X_${set}.txt`] = text(Array.from({ length: n }, (_, s) => Array.from({ length: 561 }, (_, f) => uciNumber(uciFeature(set, s, f))).join('')).join('\n') + '\n');
    UCI_CHANNELS.forEach((channel, c) => {
      files[`${root}${set}/Inertial Signals/${channel}_${set}.txt`] = text(Array.from({ length: n }, (_, s) => Array.from({ length: 128 }, (_, t) => uciNumber(raw(set, s, t, c))).join('')).join('\n') + '\n');
    });
  }
  return files;
}

/** The current UCI download: an outer zip holding `UCI HAR Dataset.zip`, the .names file and macOS junk. */
export function uciHarNestedZip(counts = { train: 12, test: 6 }): Uint8Array {
  const inner = zipSync(uciHarFiles(counts));
  return zipSync({
    'UCI HAR Dataset.zip': [inner, { level: 0 }],
    'UCI HAR Dataset.names': text('names'),
    '__MACOSX/._UCI HAR Dataset.zip': text('junk'),
  });
}

export function idx(dims: number[], data: Uint8Array, dtype = 0x08): Uint8Array {
  const out = new Uint8Array(4 + 4 * dims.length + data.length);
  const view = new DataView(out.buffer);
  out[2] = dtype;
  out[3] = dims.length;
  dims.forEach((d, i) => view.setUint32(4 + 4 * i, d, false));
  out.set(data, 4 + 4 * dims.length);
  return out;
}

export const mnistPixel = (set: string, s: number, i: number) => ((set === 'train' ? 7 : 13) * s + 3 * i) & 0xff;

export function mnistFiles(counts = { train: 20, test: 10 }, gz = true): Record<string, Uint8Array> {
  const files: Record<string, Uint8Array> = {};
  for (const [set, stem] of [['train', 'train'], ['test', 't10k']] as const) {
    const n = counts[set];
    const pixels = Uint8Array.from({ length: n * 784 }, (_, k) => mnistPixel(set, Math.floor(k / 784), k % 784));
    const labels = Uint8Array.from({ length: n }, (_, s) => s % 10);
    const wrap = (b: Uint8Array) => (gz ? gzipSync(b) : b);
    const ext = gz ? '.gz' : '';
    files[`${stem}-images-idx3-ubyte${ext}`] = wrap(idx([n, 28, 28], pixels));
    files[`${stem}-labels-idx1-ubyte${ext}`] = wrap(idx([n], labels));
  }
  return files;
}

/** Pixel of a learnable Fashion-MNIST-shaped image: class `label` lights two of the sixteen 7×7 blocks of the
 *  28×28 frame (blocks `label` and `label + 5`), shifted by up to one pixel, over a low noisy background —
 *  so a small CNN separates the ten classes in an epoch or two; deterministic in (set, sample, pixel). */
export function fashionPixel(set: string, s: number, label: number, i: number): number {
  const hash = (a: number) => { let h = Math.imul(a ^ 0x9e3779b9, 0x85ebca6b); h ^= h >>> 13; h = Math.imul(h, 0xc2b2ae35); return (h ^ (h >>> 16)) >>> 0; };
  const seed = (set === 'train' ? 1 : 2) * 100003 + s;
  const dy = (hash(seed * 3) % 3) - 1, dx = (hash(seed * 3 + 1) % 3) - 1;
  const y = Math.floor(i / 28) - dy, x = (i % 28) - dx;
  const block = y >= 0 && y < 28 && x >= 0 && x < 28 ? Math.floor(y / 7) * 4 + Math.floor(x / 7) : -1;
  const noise = hash(seed * 1000 + i) % 48;
  return block === label || block === label + 5 ? 180 + (noise + 28) % 76 : noise;
}

/** The four Fashion-MNIST idx files (names as Zalando ships them) holding `fashionPixel` images, labels s % 10. */
export function fashionMnistFiles(counts = { train: 200, test: 100 }, gz = true): Record<string, Uint8Array> {
  const files: Record<string, Uint8Array> = {};
  for (const [set, stem] of [['train', 'train'], ['test', 't10k']] as const) {
    const n = counts[set];
    const labels = Uint8Array.from({ length: n }, (_, s) => s % 10);
    const pixels = Uint8Array.from({ length: n * 784 }, (_, k) => fashionPixel(set, Math.floor(k / 784), labels[Math.floor(k / 784)], k % 784));
    const wrap = (b: Uint8Array) => (gz ? gzipSync(b) : b);
    const ext = gz ? '.gz' : '';
    files[`${stem}-images-idx3-ubyte${ext}`] = wrap(idx([n, 28, 28], pixels));
    files[`${stem}-labels-idx1-ubyte${ext}`] = wrap(idx([n], labels));
  }
  return files;
}

export const CIFAR_NAMES = ['airplane', 'automobile', 'bird', 'cat', 'deer', 'dog', 'frog', 'horse', 'ship', 'truck'];
/** Channel value of pixel (y, x), channel c of record r in batch b. */
export const cifarValue = (b: number, r: number, y: number, x: number, c: number) => (b * 31 + r * 17 + y * 5 + x * 3 + c * 101) & 0xff;

export function cifarBatch(b: number, records: number): Uint8Array {
  const out = new Uint8Array(records * 3073);
  for (let r = 0; r < records; r++) {
    out[r * 3073] = (b + r) % 10;
    for (let c = 0; c < 3; c++) for (let y = 0; y < 32; y++) for (let x = 0; x < 32; x++) out[r * 3073 + 1 + c * 1024 + y * 32 + x] = cifarValue(b, r, y, x, c);
  }
  return out;
}

export function cifarFiles(perBatch = 3): Record<string, Uint8Array> {
  const files: Record<string, Uint8Array> = {};
  for (let b = 1; b <= 5; b++) files[`cifar-10-batches-bin/data_batch_${b}.bin`] = cifarBatch(b, perBatch);
  files['cifar-10-batches-bin/test_batch.bin'] = cifarBatch(0, perBatch);
  files['cifar-10-batches-bin/batches.meta.txt'] = text(CIFAR_NAMES.join('\n') + '\n\n');
  files['cifar-10-batches-bin/readme.html'] = text('<html></html>');
  return files;
}

/** Writes a ustar archive (names up to 100 bytes). */
export function writeTar(files: Record<string, Uint8Array>): Uint8Array {
  const blocks: Uint8Array[] = [];
  for (const [name, data] of Object.entries(files)) {
    const header = new Uint8Array(512);
    const put = (s: string, at: number) => header.set(text(s), at);
    if (text(name).length > 100) throw new Error(`fixture: tar name too long: ${name}`);
    put(name, 0);
    put('0000644\0', 100);
    put('0000000\0', 108);
    put('0000000\0', 116);
    put(data.length.toString(8).padStart(11, '0') + '\0', 124);
    put('00000000000\0', 136);
    header[156] = 0x30;
    put('ustar\u000000', 257);
    header.fill(32, 148, 156);
    const sum = header.reduce((a, b) => a + b, 0);
    put(sum.toString(8).padStart(6, '0') + '\0 ', 148);
    blocks.push(header, data, new Uint8Array((512 - (data.length % 512)) % 512));
  }
  blocks.push(new Uint8Array(1024));
  const out = new Uint8Array(blocks.reduce((a, b) => a + b.length, 0));
  let p = 0;
  for (const b of blocks) { out.set(b, p); p += b.length; }
  return out;
}

export function wav(samples: Int16Array | number[], options: { rate?: number; format?: number; bits?: number; channels?: number; extraChunk?: boolean } = {}): Uint8Array {
  const { rate = 16000, format = 1, bits = 16, channels = 1 } = options;
  const data = new Uint8Array(samples.length * 2);
  const dv = new DataView(data.buffer);
  Array.from(samples).forEach((s, i) => dv.setInt16(2 * i, s, true));
  const list = options.extraChunk ? 8 + 4 : 0;
  const out = new Uint8Array(44 + list + data.length);
  const v = new DataView(out.buffer);
  out.set(text('RIFF'), 0);
  v.setUint32(4, out.length - 8, true);
  out.set(text('WAVEfmt '), 8);
  v.setUint32(16, 16, true);
  v.setUint16(20, format, true);
  v.setUint16(22, channels, true);
  v.setUint32(24, rate, true);
  v.setUint32(28, (rate * channels * bits) / 8, true);
  v.setUint16(32, (channels * bits) / 8, true);
  v.setUint16(34, bits, true);
  let p = 36;
  if (options.extraChunk) { out.set(text('LIST'), p); v.setUint32(p + 4, 4, true); out.set(text('INFO'), p + 8); p += 12; }
  out.set(text('data'), p);
  v.setUint32(p + 4, data.length, true);
  out.set(data, p + 8);
  return out;
}

export const GSC_FIXTURE_WORDS = ['zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine', 'happy'];
/** Sample t of clip k of word w: distinct per clip, so tests can check placement. */
export const gscSample = (w: number, k: number, t: number) => ((w * 1000 + k * 100 + t) % 2000) - 1000;

/** Speech Commands layout: 3 clips per word (clip 1 validation, clip 2 testing), short clips get padded. */
export function gscFiles(length = 40): Record<string, Uint8Array> {
  const files: Record<string, Uint8Array> = {};
  const validation: string[] = [];
  const testing: string[] = [];
  GSC_FIXTURE_WORDS.forEach((word, w) => {
    for (let k = 0; k < 3; k++) {
      const name = `${word}/${(w * 16 + k).toString(16).padStart(8, '0')}_nohash_${k}.wav`;
      const n = k === 0 ? length - 10 : length;
      files[name] = wav(Int16Array.from({ length: n }, (_, t) => gscSample(w, k, t)));
      if (k === 1) validation.push(name);
      if (k === 2) testing.push(name);
    }
  });
  files['validation_list.txt'] = text(validation.join('\n') + '\n');
  files['testing_list.txt'] = text(testing.join('\n') + '\n');
  files['_background_noise_/white_noise.wav'] = wav(Int16Array.from({ length: 100 }, (_, t) => t));
  files['_background_noise_/README.md'] = text('noise');
  files['README.md'] = text('Speech Commands fixture');
  files['LICENSE'] = text('CC BY 4.0');
  return files;
}

/** A tar whose entries carry their names in pax 'x' headers or GNU 'L' records (names over 100 bytes). */
export function writeTarLongNames(files: Record<string, Uint8Array>, style: 'pax' | 'gnu'): Uint8Array {
  const parts: Record<string, Uint8Array>[] = [];
  let i = 0;
  for (const [name, data] of Object.entries(files)) {
    const short = `entry${i++}`;
    if (style === 'pax') {
      const record = (len: number) => `${len} path=${name}\n`;
      let len = record(0).length;
      while (record(len).length !== len) len = record(len).length;
      parts.push({ [`PaxHeaders/${short}`]: text(record(len)) });
    } else {
      parts.push({ ['././@LongLink']: text(name + '\0') });
    }
    parts.push({ [short]: data });
  }
  // Build each part with writeTar, then retype the metadata headers and fix their checksums.
  const blocks: Uint8Array[] = [];
  parts.forEach((part, k) => {
    const tar = writeTar(part).subarray(0, -1024);
    if (k % 2 === 0) {
      tar[156] = (style === 'pax' ? 'x' : 'L').charCodeAt(0);
      tar.fill(32, 148, 156);
      const sum = tar.subarray(0, 512).reduce((a, b) => a + b, 0);
      tar.set(text(sum.toString(8).padStart(6, '0') + '\0 '), 148);
    }
    blocks.push(tar);
  });
  blocks.push(new Uint8Array(1024));
  const out = new Uint8Array(blocks.reduce((a, b) => a + b.length, 0));
  let p = 0;
  for (const b of blocks) { out.set(b, p); p += b.length; }
  return out;
}

// ImageFolder: pictures in one folder per class, as torchvision's ImageFolder reads them (class names are
// the folder names, sorted). When the folder has `train/` and `test/` (or Edge Impulse's `training/` and
// `testing/`) each holding the class folders, those are the sets; otherwise every class is split with a
// seeded shuffle, `test_split` of it to test, and both sets keep file order. PNG and JPEG are decoded by the
// same JavaScript decoders in Node and in the browser (image.ts), then centre-cropped and resized to `size`
// ([height, width]; the first picture's size when empty) in `color` ("rgb" → 3 channels, "grayscale" → 1).
// Pixels stay 8-bit (0..255) like MNIST's; add Normalize (or IntToFloat32) to scale them.

import { InputFileError } from '../../base/errors';
import { integer, list, number, oneOf, string, table } from '../../base/schema';
import { createRng } from '../../base/rng';
import type { DataBundle } from '../bundle';
import { makeSet } from '../bundle';
import type { DatasetKind } from '../kind';
import { requireSource } from '../kind';
import { decodePicture, IMAGE_FILE, pictureSample } from '../image';
import { bytesSource, isJunkPath, type FileSource } from '../source';
import { archiveKindOf, openArchive } from '../archive';

const params = table({
  path: string(''),
  size: list(integer(undefined, { min: 1, max: 1024 }), []),
  color: oneOf(['rgb', 'grayscale'] as const, 'rgb'),
  test_split: number(0.2, { min: 0, max: 0.9 }),
  seed: integer(1),
});

type Params = ReturnType<typeof params.parse>;

const SET_FOLDERS: Record<string, 'train' | 'test'> = { train: 'train', training: 'train', test: 'test', testing: 'test' };

interface Picked { path: string; className: string; set?: 'train' | 'test' }

/** The pictures of `files` and where each goes, or a message saying why the layout is not ImageFolder's. */
export function imageFolderLayout(files: string[], label: string): { pictures: Picked[]; classNames: string[]; presplit: boolean; ignored: number } {
  const images = files.filter((f) => IMAGE_FILE.test(f) && !isJunkPath(f)).sort();
  const ignored = files.length - images.length;
  if (images.length === 0) {
    throw new InputFileError(`${label}: no PNG or JPEG pictures found${files.length ? ` (${files.length} other files, e.g. '${files[0]}')` : ''}; ImageFolder reads <class>/<picture>.png|.jpg, one folder per class`);
  }
  const dirs = images.map((f) => f.split('/').slice(0, -1));
  // The longest folder prefix every picture shares: the dataset's own top folder(s) inside an archive.
  let common = dirs[0].length;
  for (const d of dirs) {
    let k = 0;
    while (k < common && k < d.length && d[k] === dirs[0][k]) k++;
    common = k;
  }
  if (dirs.every((d) => d.length === common)) {
    const folder = dirs[0].join('/');
    throw new InputFileError(`${label}: every picture is in ${folder ? `one folder ('${folder}')` : 'the top folder'}; ImageFolder needs one folder per class, at least two (<class>/<picture>): put each class's pictures in a folder named after it`);
  }
  const rest = images.map((f, i) => ({ path: f, parts: dirs[i].slice(common) }));
  const presplit = rest.every((r) => r.parts.length === 2 && r.parts[0].toLowerCase() in SET_FOLDERS) &&
    new Set(rest.map((r) => SET_FOLDERS[r.parts[0].toLowerCase()])).size === 2;
  const depth = presplit ? 2 : 1;
  const shallow = rest.find((r) => r.parts.length < depth);
  if (shallow) {
    throw new InputFileError(`${label}: '${shallow.path}' is not inside a class folder; ImageFolder reads <class>/<picture> (or train/<class>/<picture> and test/<class>/<picture>): put each class's pictures in a folder named after the class`);
  }
  const deep = rest.find((r) => r.parts.length > depth);
  if (deep) {
    throw new InputFileError(`${label}: '${deep.path}' is ${deep.parts.length} folders below the others' class folders; ImageFolder reads <class>/<picture>${presplit ? ' under train/ and test/' : ' (or train/ and test/ each holding the class folders)'} — move it up or remove it`);
  }
  const pictures: Picked[] = rest.map((r) => ({ path: r.path, className: r.parts[depth - 1], set: presplit ? SET_FOLDERS[r.parts[0].toLowerCase()] : undefined }));
  const classNames = [...new Set(pictures.map((p) => p.className))].sort();
  if (classNames.length < 2) {
    throw new InputFileError(`${label}: only one class folder ('${classNames[0]}'); a classifier needs at least two: add a folder of pictures for each other class beside it`);
  }
  return { pictures, classNames, presplit, ignored };
}

/** Archives given as the dataset (a zip of the folder): opened and read as the folder they hold. */
async function openRoot(source: FileSource): Promise<FileSource> {
  const files = (await source.list()).filter((f) => !isJunkPath(f));
  if (files.some((f) => IMAGE_FILE.test(f))) return source;
  const archives = files.filter((f) => archiveKindOf(f));
  if (archives.length === 1) {
    const bytes = source.open ? await source.open(archives[0]) : bytesSource(archives[0], await source.read(archives[0]));
    return openArchive(bytes, { label: `${source.label} › ${archives[0]}` });
  }
  return source;
}

export const ImageFolder = {
  kind: 'ImageFolder',
  summary: "Pictures (PNG, JPEG) in one folder per class; train/ and test/ roots when present, else a seeded stratified split; resized to 'size' [height, width] in 'color' rgb or grayscale, pixels 0..255",
  params,
  needsFiles: true,
  async load(p: Params, source, progress) {
    const root = await openRoot(requireSource('ImageFolder', source));
    const { pictures, classNames, presplit } = imageFolderLayout(await root.list(), root.label);
    if (p.size.length !== 0 && p.size.length !== 2) throw new InputFileError(`dataset.params.size: give [height, width] (e.g. [32, 32]) or leave it out to keep the first picture's size; got [${p.size.join(', ')}]`);
    const channels = p.color === 'grayscale' ? 1 : 3;
    let height = p.size[0];
    let width = p.size[1];
    const samples: Uint8Array[] = [];
    for (const [i, picture] of pictures.entries()) {
      const decoded = decodePicture(await root.read(picture.path), `${root.label}: ${picture.path}`);
      if (height === undefined) { height = decoded.height; width = decoded.width; }
      samples.push(pictureSample(decoded, width!, height, p.color));
      if ((i + 1) % 100 === 0) progress?.({ stage: 'import', done: i + 1, total: pictures.length, detail: 'pictures' });
    }
    const labels = pictures.map((pic) => classNames.indexOf(pic.className));
    const isTest = new Uint8Array(pictures.length);
    if (presplit) pictures.forEach((pic, i) => { isTest[i] = pic.set === 'test' ? 1 : 0; });
    else {
      const rng = createRng(p.seed);
      for (let c = 0; c < classNames.length; c++) {
        const members = labels.flatMap((l, i) => (l === c ? [i] : []));
        rng.shuffle(members);
        for (const i of members.slice(0, Math.round(members.length * p.test_split))) isTest[i] = 1;
      }
    }
    const size = height! * width! * channels;
    const build = (test: number) => {
      const indices = labels.flatMap((_, i) => (isTest[i] === test ? [i] : []));
      const x = new Uint8Array(indices.length * size);
      indices.forEach((s, k) => x.set(samples[s], k * size));
      return makeSet(x, [height!, width!, channels], Int32Array.from(indices, (s) => labels[s]));
    };
    progress?.({ stage: 'import', done: pictures.length, total: pictures.length, detail: 'pictures' });
    const bundle: DataBundle = { name: 'ImageFolder', train: build(0), test: build(1), classNames };
    if (bundle.test.count === 0) throw new InputFileError(`${root.label}: the test set is empty (${presplit ? 'test/ holds no pictures' : `test_split ${p.test_split} of ${pictures.length} pictures`}); add pictures or raise params.test_split`);
    return bundle;
  },
} satisfies DatasetKind<Params>;

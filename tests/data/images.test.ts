// Pictures as samples (src/core/data/image.ts) and the ImageFolder dataset kind: every PNG flavour and JPEG
// decoded to exact bytes, the one resize path (centre crop + area average) checked against hand-computed
// values, folder layouts and their errors, and the hostile files of tests/samples/hostile/images.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { encode as encodePng } from 'fast-png';
import jpeg from 'jpeg-js';
import { describe, expect, test } from 'vitest';
import { decodePicture, fitPicture, pictureSample, toGray } from '../../src/core/data/image';
import { imageFolderLayout } from '../../src/core/data/kinds/image-folder';
import { loadDataset } from '../../src/core/pipeline/prepare-data';
import { memorySource } from '../../src/core/data/source';
import { zipSync } from 'fflate';

const HOSTILE = join(__dirname, '..', 'samples', 'hostile', 'images');

const rgbPixels = Uint8Array.from({ length: 2 * 3 * 3 }, (_, i) => (i * 37) % 256);

describe('decoding pictures', () => {
  test('8-bit RGB, RGBA (alpha dropped), grey, grey + alpha, 16-bit (high byte) PNGs give their exact pixels', () => {
    const rgb = decodePicture(encodePng({ width: 3, height: 2, data: rgbPixels, channels: 3, depth: 8 }), 'rgb.png');
    expect(rgb).toMatchObject({ width: 3, height: 2, channels: 3 });
    expect(Array.from(rgb.data)).toEqual(Array.from(rgbPixels));
    const rgba = Uint8Array.from({ length: 24 }, (_, i) => (i % 4 === 3 ? 7 : rgbPixels[Math.floor(i / 4) * 3 + (i % 4)]));
    expect(Array.from(decodePicture(encodePng({ width: 3, height: 2, data: rgba, channels: 4, depth: 8 }), 'rgba.png').data)).toEqual(Array.from(rgbPixels));
    const grey = Uint8Array.from([0, 50, 100, 150, 200, 255]);
    expect(Array.from(decodePicture(encodePng({ width: 3, height: 2, data: grey, channels: 1, depth: 8 }), 'g.png').data)).toEqual(Array.from(grey));
    const greyAlpha = Uint8Array.from([...grey].flatMap((g) => [g, 9]));
    expect(decodePicture(encodePng({ width: 3, height: 2, data: greyAlpha, channels: 2, depth: 8 }), 'ga.png')).toMatchObject({ channels: 1, data: grey });
    const deep = Uint16Array.from(grey, (g) => g * 257);
    expect(Array.from(decodePicture(encodePng({ width: 3, height: 2, data: deep, channels: 1, depth: 16 }), 'g16.png').data)).toEqual(Array.from(grey));
  });

  test('1-bit grey and palette PNGs are unpacked', () => {
    // 1-bit: rows of 10 pixels → 2 bytes per row.
    const bits = Uint8Array.from([0b10110000, 0b01000000, 0b00000000, 0b11000000]);
    const one = decodePicture(encodePng({ width: 10, height: 2, data: bits, channels: 1, depth: 1 }), 'bw.png');
    expect(Array.from(one.data)).toEqual([255, 0, 255, 255, 0, 0, 0, 0, 0, 255, 0, 0, 0, 0, 0, 0, 0, 0, 255, 255]);
    const palette = [[255, 0, 0], [0, 0, 255]];
    const indexed = decodePicture(encodePng({ width: 2, height: 1, data: Uint8Array.from([1, 0]), channels: 1, depth: 8, palette }), 'p.png');
    expect(indexed).toMatchObject({ channels: 3 });
    expect(Array.from(indexed.data)).toEqual([0, 0, 255, 255, 0, 0]);
  });

  test('JPEG decodes by content whatever the file name says', () => {
    const data = Buffer.alloc(16 * 8 * 4);
    for (let i = 0; i < 16 * 8; i++) data.set([i < 64 ? 250 : 10, 120, 30, 255], i * 4);
    const bytes = jpeg.encode({ width: 16, height: 8, data }, 95).data;
    const picture = decodePicture(new Uint8Array(bytes), 'photo.png');
    expect(picture).toMatchObject({ width: 16, height: 8, channels: 3 });
    expect(Math.abs(picture.data[0] - 250)).toBeLessThan(8);
    expect(Math.abs(picture.data[(16 * 8 - 1) * 3] - 10)).toBeLessThan(8);
  });

  test('area-average resize and centre crop, exact', () => {
    const grey = { width: 4, height: 4, channels: 1 as const, data: Uint8Array.from({ length: 16 }, (_, i) => i * 10) };
    // 2×2 blocks averaged: (0+10+40+50)/4 = 25, …
    expect(Array.from(fitPicture(grey, 2, 2).data)).toEqual([25, 45, 105, 125]);
    // A 4×2 target from 4×4: the centre 4×2 band (rows 1-2), each output pixel the mean of a 1×1 block.
    expect(Array.from(fitPicture(grey, 4, 2).data)).toEqual([40, 50, 60, 70, 80, 90, 100, 110]);
    // Upscale 1 pixel → 3×3: the same value everywhere.
    expect(Array.from(fitPicture({ width: 1, height: 1, channels: 1, data: Uint8Array.of(77) }, 3, 3).data)).toEqual(new Array(9).fill(77));
    // Rounding is half up: (0 + 1) / 2 = 0.5 → 1.
    expect(Array.from(fitPicture({ width: 2, height: 1, channels: 1, data: Uint8Array.of(0, 1) }, 1, 1).data)).toEqual([1]);
    expect(Array.from(toGray({ width: 1, height: 1, channels: 3, data: Uint8Array.of(255, 128, 0) }).data)).toEqual([151]); // (299·255 + 587·128 + 500) / 1000 = 151.9
    expect(pictureSample({ width: 1, height: 1, channels: 1, data: Uint8Array.of(9) }, 1, 1, 'rgb')).toEqual(Uint8Array.of(9, 9, 9));
  });

  test.each(readdirSync(HOSTILE).filter((f) => !f.endsWith('.md')))('hostile %s is refused naming the file', (file) => {
    const expected: Record<string, RegExp> = {
      'truncated.png': /^truncated\.png: the PNG does not decode \(.+\); the file is damaged or truncated$/,
      'bad-crc.png': /^bad-crc\.png: the PNG does not decode \(.*CRC.*\); the file is damaged or truncated$/i,
      'huge-dimensions.png': /^huge-dimensions\.png: the picture is 100000 × 100000 pixels, more than the 40 megapixels Mote decodes/,
      'truncated.jpg': /^truncated\.jpg: the JPEG does not decode \(.+\); the file is damaged or truncated$/,
      'empty.jpg': /^empty\.jpg: not a PNG or JPEG picture \(it starts with nothing: the file is empty\)/,
      'not-a-picture.png': /^not-a-picture\.png: not a PNG or JPEG picture \(it starts with 3c 68 74 6d 6c 3e 3c 62\); Mote reads \.png and \.jpg files/,
    };
    expect(expected[file], `add the expected message of ${file}`).toBeDefined();
    expect(() => decodePicture(new Uint8Array(readFileSync(join(HOSTILE, file))), file)).toThrow(expected[file]);
  });
});

function png(width: number, height: number, value: (x: number, y: number) => number): Uint8Array {
  return encodePng({ width, height, channels: 1, depth: 8, data: Uint8Array.from({ length: width * height }, (_, i) => value(i % width, Math.floor(i / width))) });
}

describe('ImageFolder', () => {
  test('layouts: class folders, train/test roots (also training/testing), an archive’s top folder', () => {
    expect(imageFolderLayout(['a/1.png', 'b/2.jpg', 'README.md'], 'x')).toMatchObject({ classNames: ['a', 'b'], presplit: false, ignored: 1 });
    const split = imageFolderLayout(['pets/train/cat/1.png', 'pets/train/dog/2.png', 'pets/test/dog/3.png'], 'x');
    expect(split).toMatchObject({ classNames: ['cat', 'dog'], presplit: true });
    expect(split.pictures.map((p) => p.set)).toEqual(['test', 'train', 'train']);
    expect(imageFolderLayout(['training/a/1.png', 'testing/b/2.png'], 'x').presplit).toBe(true);
  });

  test('layouts that are not ImageFolder say what to change, naming a file', () => {
    expect(() => imageFolderLayout(['cats/1.png', 'loose.png'], 'folder pics')).toThrow("folder pics: 'loose.png' is not inside a class folder");
    expect(() => imageFolderLayout(['cats/1.png', 'dogs/big/2.png'], 'folder pics')).toThrow("folder pics: 'dogs/big/2.png' is 2 folders below the others' class folders");
    expect(() => imageFolderLayout(['cats/1.png', 'cats/2.png'], 'folder pics')).toThrow("folder pics: every picture is in one folder ('cats'); ImageFolder needs one folder per class, at least two");
    expect(() => imageFolderLayout(['notes.txt'], 'folder pics')).toThrow("no PNG or JPEG pictures found (1 other files, e.g. 'notes.txt')");
  });

  test('loads a folder: sorted classes, seeded stratified split, resized grey pixels, the same on every load', async () => {
    const files: Record<string, Uint8Array> = {};
    for (let i = 0; i < 10; i++) {
      files[`shapes/bars/${i}.png`] = png(12, 12, (x) => (x % 2 === 0 ? 255 : 0));
      files[`shapes/dots/${i}.png`] = png(16, 12, (x, y) => ((x + y) % 3 ? 30 : 220 - i));
    }
    const spec = { kind: 'ImageFolder', params: { size: [6, 6], color: 'grayscale' } };
    const bundle = await loadDataset(spec, memorySource('folder shapes', files));
    expect(bundle.classNames).toEqual(['bars', 'dots']);
    expect(bundle.train.shape).toEqual([6, 6, 1]);
    expect(bundle.train.x).toBeInstanceOf(Uint8Array);
    expect([bundle.train.count, bundle.test.count]).toEqual([16, 4]);
    expect(Array.from(bundle.test.labels).sort()).toEqual([0, 0, 1, 1]);
    // 12 px → 6 px: every output pixel averages a 2-wide block of one bright and one dark column.
    expect(Array.from(bundle.train.x.subarray(0, 6))).toEqual([128, 128, 128, 128, 128, 128]);
    const again = await loadDataset(spec, memorySource('folder shapes', files));
    expect(Array.from(again.test.x)).toEqual(Array.from(bundle.test.x));
    const zipped = await loadDataset(spec, memorySource('picked files', { 'shapes.zip': zipSync(files) }));
    expect(Array.from(zipped.train.x)).toEqual(Array.from(bundle.train.x));
  });

  test('a picture that does not decode stops the load naming the file (nothing half-loaded)', async () => {
    const files = { 'a/1.png': png(4, 4, () => 1), 'a/2.png': png(4, 4, () => 2), 'b/1.png': png(4, 4, () => 3), 'b/broken.png': new Uint8Array(readFileSync(join(HOSTILE, 'truncated.png'))) };
    await expect(loadDataset({ kind: 'ImageFolder', params: {} }, memorySource('folder pics', files))).rejects.toThrow(/^folder pics: b\/broken\.png: the PNG does not decode/);
  });
});

// Pictures as samples: PNG and JPEG decoded by the same JavaScript decoders in Node and in the browser
// (fast-png, jpeg-js) rather than by the browser's own image decoder, whose output differs between browsers
// and versions, so a folder of images gives the same bytes to `mote` and to the app. Then one deterministic
// path to the model's input: centre-crop to the target's aspect ratio, area-average resize, optional
// conversion to grey (BT.601 luma), all in integer or exactly rounded arithmetic.

import { decode as decodePng } from 'fast-png';
import { convertIndexedToRgb } from 'fast-png';
import jpeg from 'jpeg-js';
import { InputFileError } from '../base/errors';

/** 8-bit pixels, `channels` interleaved per pixel, rows top to bottom. */
export interface Picture { width: number; height: number; channels: 1 | 3; data: Uint8Array }

export type ColorMode = 'rgb' | 'grayscale';

/** Larger pictures are refused before they are decoded (a hostile header can declare any size). */
export const MAX_PICTURE_PIXELS = 40_000_000;

export const IMAGE_FILE = /\.(png|jpe?g)$/i;

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

export function isPng(bytes: Uint8Array): boolean {
  return bytes.length >= 8 && PNG_SIGNATURE.every((b, i) => bytes[i] === b);
}

export function isJpeg(bytes: Uint8Array): boolean {
  return bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff;
}

function tooLarge(label: string, width: number, height: number): InputFileError {
  return new InputFileError(`${label}: the picture is ${width} × ${height} pixels, more than the ${MAX_PICTURE_PIXELS / 1e6} megapixels Mote decodes; make it smaller first`);
}

/** 8-bit grey or RGB from 1–4 interleaved channels: alpha is dropped (a model's input has no alpha), 16-bit keeps its high byte. */
function dropAlpha(data: ArrayLike<number>, pixels: number, channels: number, shift: number): { channels: 1 | 3; data: Uint8Array } {
  const colour = channels >= 3;
  const out = new Uint8Array(pixels * (colour ? 3 : 1));
  if (colour) {
    for (let p = 0; p < pixels; p++) for (let k = 0; k < 3; k++) out[p * 3 + k] = data[p * channels + k] >> shift;
  } else {
    for (let p = 0; p < pixels; p++) out[p] = data[p * channels] >> shift;
  }
  return { channels: colour ? 3 : 1, data: out };
}

/** Unpacks 1-, 2- or 4-bit grey rows (rows start on a byte) to 8-bit, scaling the top value to 255. */
function unpackGrey(data: Uint8Array, width: number, height: number, depth: number): Uint8Array {
  const out = new Uint8Array(width * height);
  const rowBytes = Math.ceil((width * depth) / 8);
  const max = (1 << depth) - 1;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const bit = x * depth;
      const byte = data[y * rowBytes + (bit >> 3)];
      const value = (byte >> (8 - depth - (bit & 7))) & max;
      out[y * width + x] = Math.round((value * 255) / max);
    }
  }
  return out;
}

function readPng(bytes: Uint8Array, label: string): Picture {
  if (bytes.length >= 24) {
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const width = view.getUint32(16);
    const height = view.getUint32(20);
    if (width * height > MAX_PICTURE_PIXELS) throw tooLarge(label, width, height);
  }
  let png;
  try {
    png = decodePng(bytes, { checkCrc: true });
  } catch (error) {
    throw new InputFileError(`${label}: the PNG does not decode (${(error as Error).message}); the file is damaged or truncated`, { cause: error });
  }
  const { width, height, depth } = png;
  const pixels = width * height;
  if (png.palette) {
    let rgb: Uint8Array;
    try { rgb = convertIndexedToRgb(png); } catch (error) { throw new InputFileError(`${label}: the PNG's palette does not decode (${(error as Error).message}); the file is damaged`, { cause: error }); }
    return { width, height, ...dropAlpha(rgb, pixels, png.palette[0].length, 0) };
  }
  if (depth < 8) {
    if (png.channels !== 1) throw new InputFileError(`${label}: a ${depth}-bit PNG with ${png.channels} channels is not valid PNG`);
    return { width, height, channels: 1, data: unpackGrey(png.data as Uint8Array, width, height, depth) };
  }
  if (png.data.length < pixels * png.channels) throw new InputFileError(`${label}: the PNG holds ${png.data.length} values for ${width} × ${height} pixels of ${png.channels} channels; the file is damaged`);
  return { width, height, ...dropAlpha(png.data, pixels, png.channels, depth === 16 ? 8 : 0) };
}

function readJpeg(bytes: Uint8Array, label: string): Picture {
  let image;
  try {
    image = jpeg.decode(bytes, { useTArray: true, formatAsRGBA: false, tolerantDecoding: false, maxResolutionInMP: MAX_PICTURE_PIXELS / 1e6, maxMemoryUsageInMB: 1024 });
  } catch (error) {
    const message = (error as Error).message;
    if (/maxResolutionInMP/.test(message)) throw new InputFileError(`${label}: the picture is larger than the ${MAX_PICTURE_PIXELS / 1e6} megapixels Mote decodes; make it smaller first`, { cause: error });
    throw new InputFileError(`${label}: the JPEG does not decode (${message}); the file is damaged or truncated`, { cause: error });
  }
  if (!image.width || !image.height) throw new InputFileError(`${label}: the JPEG has no picture in it (0 × 0 pixels)`);
  return { width: image.width, height: image.height, channels: 3, data: image.data as Uint8Array };
}

/** Decodes a PNG or a JPEG (recognised by content, not by name); InputFileError naming the file otherwise. */
export function decodePicture(bytes: Uint8Array, label: string): Picture {
  if (isPng(bytes)) return readPng(bytes, label);
  if (isJpeg(bytes)) return readJpeg(bytes, label);
  const head = Array.from(bytes.subarray(0, 8), (b) => b.toString(16).padStart(2, '0')).join(' ');
  throw new InputFileError(`${label}: not a PNG or JPEG picture (it starts with ${bytes.length ? head : 'nothing: the file is empty'}); Mote reads .png and .jpg files — convert it, or remove it from the folder`);
}

/** Grey from RGB with BT.601 weights, rounded half up, in integers (the same everywhere). */
export function toGray(picture: Picture): Picture {
  if (picture.channels === 1) return picture;
  const pixels = picture.width * picture.height;
  const out = new Uint8Array(pixels);
  const d = picture.data;
  for (let p = 0; p < pixels; p++) out[p] = Math.floor((299 * d[p * 3] + 587 * d[p * 3 + 1] + 114 * d[p * 3 + 2] + 500) / 1000);
  return { width: picture.width, height: picture.height, channels: 1, data: out };
}

export function toRgb(picture: Picture): Picture {
  if (picture.channels === 3) return picture;
  const pixels = picture.width * picture.height;
  const out = new Uint8Array(pixels * 3);
  for (let p = 0; p < pixels; p++) out[p * 3] = out[p * 3 + 1] = out[p * 3 + 2] = picture.data[p];
  return { width: picture.width, height: picture.height, channels: 3, data: out };
}

/** From RGBA bytes (a canvas, a camera frame), alpha dropped. */
export function pictureFromRgba(rgba: ArrayLike<number>, width: number, height: number): Picture {
  return { width, height, ...dropAlpha(rgba, width * height, 4, 0) };
}

/**
 * The largest centred region of `picture` with the aspect ratio of `width` × `height`, averaged down (or
 * spread up) to exactly that size. Each output pixel is the area-weighted mean of the source pixels it
 * covers, computed in float64 and rounded half up: exact and identical on every JavaScript engine.
 */
export function fitPicture(picture: Picture, width: number, height: number): Picture {
  if (picture.width === width && picture.height === height) return picture;
  // Centre crop to the target aspect ratio (in source pixels, possibly fractional).
  let cropW = picture.width;
  let cropH = picture.height;
  if (picture.width * height > picture.height * width) cropW = (picture.height * width) / height;
  else cropH = (picture.width * height) / width;
  const x0 = (picture.width - cropW) / 2;
  const y0 = (picture.height - cropH) / 2;
  const sx = cropW / width;
  const sy = cropH / height;
  const c = picture.channels;
  const out = new Uint8Array(width * height * c);
  const acc = new Float64Array(c);
  for (let oy = 0; oy < height; oy++) {
    const top = y0 + oy * sy;
    const bottom = top + sy;
    for (let ox = 0; ox < width; ox++) {
      const left = x0 + ox * sx;
      const right = left + sx;
      acc.fill(0);
      let area = 0;
      for (let y = Math.floor(top); y < Math.min(Math.ceil(bottom), picture.height); y++) {
        const wy = Math.min(bottom, y + 1) - Math.max(top, y);
        if (wy <= 0) continue;
        for (let x = Math.floor(left); x < Math.min(Math.ceil(right), picture.width); x++) {
          const wx = Math.min(right, x + 1) - Math.max(left, x);
          if (wx <= 0) continue;
          const w = wx * wy;
          area += w;
          const base = (y * picture.width + x) * c;
          for (let k = 0; k < c; k++) acc[k] += picture.data[base + k] * w;
        }
      }
      for (let k = 0; k < c; k++) out[(oy * width + ox) * c + k] = Math.min(255, Math.floor(acc[k] / area + 0.5));
    }
  }
  return { width, height, channels: c, data: out };
}

/** A decoded picture as a sample of shape [height, width, channels] for `color`. */
export function pictureSample(picture: Picture, width: number, height: number, color: ColorMode): Uint8Array {
  const converted = color === 'grayscale' ? toGray(picture) : toRgb(picture);
  return fitPicture(converted, width, height).data;
}

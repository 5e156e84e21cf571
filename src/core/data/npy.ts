// NumPy .npy reader/writer (format 1.0–3.0, C order), so `out/data/<dataset>/<set>/data.npy` and
// `labels.npy` look exactly like Qualia's preprocess_data output. Spec: numpy/lib/format.py (NEP 1).

import { InputFileError } from '../base/errors';

export type NpyArray =
  | { dtype: 'float32'; shape: number[]; data: Float32Array }
  | { dtype: 'float64'; shape: number[]; data: Float64Array }
  | { dtype: 'uint8'; shape: number[]; data: Uint8Array }
  | { dtype: 'int32'; shape: number[]; data: Int32Array }
  | { dtype: 'int64'; shape: number[]; data: BigInt64Array };

const DESCR: Record<NpyArray['dtype'], string> = { float32: '<f4', float64: '<f8', uint8: '|u1', int32: '<i4', int64: '<i8' };
const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // \x93NUMPY

export function writeNpy(array: NpyArray): Uint8Array {
  const shape = array.shape.length === 1 ? `(${array.shape[0]},)` : `(${array.shape.join(', ')})`;
  let header = `{'descr': '${DESCR[array.dtype]}', 'fortran_order': False, 'shape': ${shape}, }`;
  const unpadded = 10 + header.length + 1;
  header += ' '.repeat((64 - (unpadded % 64)) % 64) + '\n';
  const bytes = new Uint8Array(array.data.buffer, array.data.byteOffset, array.data.byteLength);
  if (new Uint8Array(new Uint16Array([1]).buffer)[0] !== 1) throw new Error('internal: .npy writer assumes a little-endian host');
  const out = new Uint8Array(10 + header.length + bytes.length);
  out.set(MAGIC, 0);
  out[6] = 1;
  out[7] = 0;
  new DataView(out.buffer).setUint16(8, header.length, true);
  for (let i = 0; i < header.length; i++) out[10 + i] = header.charCodeAt(i);
  out.set(bytes, 10 + header.length);
  return out;
}

export function readNpy(bytes: Uint8Array, label: string): NpyArray {
  if (bytes.length < 10 || MAGIC.some((b, i) => bytes[i] !== b)) throw new InputFileError(`${label}: not a NumPy .npy file (no \\x93NUMPY magic)`);
  const major = bytes[6];
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const [headerLength, start] = major === 1 ? [view.getUint16(8, true), 10] : [view.getUint32(8, true), 12];
  if (major < 1 || major > 3) throw new InputFileError(`${label}: .npy format version ${major} is not supported (1–3 are)`);
  const header = new TextDecoder().decode(bytes.subarray(start, start + headerLength));
  const descr = /'descr':\s*'([^']+)'/.exec(header)?.[1];
  const fortran = /'fortran_order':\s*(True|False)/.exec(header)?.[1];
  const shapeText = /'shape':\s*\(([^)]*)\)/.exec(header)?.[1];
  if (!descr || !fortran || shapeText === undefined) throw new InputFileError(`${label}: damaged .npy header '${header.trim()}'`);
  if (fortran === 'True') throw new InputFileError(`${label}: Fortran-ordered arrays are not supported; save with numpy.ascontiguousarray`);
  const shape = shapeText.split(',').map((s) => s.trim()).filter((s) => s.length > 0).map(Number);
  const count = shape.reduce((a, b) => a * b, 1);
  const dtype = (Object.keys(DESCR) as NpyArray['dtype'][]).find((k) => DESCR[k] === descr || (descr === '<u1' && k === 'uint8'));
  if (!dtype) throw new InputFileError(`${label}: .npy data type '${descr}' is not supported (float32, float64, uint8, int32, int64 little-endian are)`);
  const itemSize = { float32: 4, float64: 8, uint8: 1, int32: 4, int64: 8 }[dtype];
  const offset = start + headerLength;
  if (bytes.length !== offset + count * itemSize) throw new InputFileError(`${label}: .npy size mismatch: shape (${shape.join(', ')}) needs ${count * itemSize} data bytes, the file has ${bytes.length - offset}${bytes.length < offset + count * itemSize ? ' (truncated)' : ''}`);
  const copy = bytes.slice(offset); // aligned copy
  switch (dtype) {
    case 'float32': return { dtype, shape, data: new Float32Array(copy.buffer, 0, count) };
    case 'float64': return { dtype, shape, data: new Float64Array(copy.buffer, 0, count) };
    case 'uint8': return { dtype, shape, data: copy };
    case 'int32': return { dtype, shape, data: new Int32Array(copy.buffer, 0, count) };
    case 'int64': return { dtype, shape, data: new BigInt64Array(copy.buffer, 0, count) };
  }
}

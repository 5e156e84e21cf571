// IDX files (LeCun's MNIST format, also Fashion-MNIST): big-endian header `00 00 <dtype> <ndims>`, one
// u32 per dimension, then the data in C order. Raw or gzipped (detected by the 1f 8b magic).

import { InputFileError } from '../../base/errors';
import { maybeGunzipAsync } from '../archive';

export interface IdxArray { dims: number[]; data: Uint8Array }

export async function parseIdx(raw: Uint8Array, label: string, expectedDims: number): Promise<IdxArray> {
  const bytes = await maybeGunzipAsync(raw, label);
  if (bytes.length < 4 || bytes[0] !== 0 || bytes[1] !== 0) {
    throw new InputFileError(`${label}: not an IDX file (magic ${[...bytes.subarray(0, 4)].map((b) => b.toString(16).padStart(2, '0')).join(' ')}, expected 00 00 08 0${expectedDims})`);
  }
  if (bytes[2] !== 0x08) throw new InputFileError(`${label}: IDX data type 0x${bytes[2].toString(16)} is not unsigned bytes (0x08) as in MNIST`);
  if (bytes[3] !== expectedDims) throw new InputFileError(`${label}: IDX file has ${bytes[3]} dimensions, expected ${expectedDims} (${expectedDims === 3 ? 'images' : 'labels'}); are the image and label files swapped?`);
  const header = 4 + 4 * expectedDims;
  if (bytes.length < header) throw new InputFileError(`${label}: IDX header is truncated (${bytes.length} bytes)`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const dims = Array.from({ length: expectedDims }, (_, i) => view.getUint32(4 + 4 * i, false));
  const size = dims.reduce((a, b) => a * b, 1);
  if (bytes.length !== header + size) {
    throw new InputFileError(`${label}: IDX size mismatch: header says [${dims.join(' × ')}] = ${header + size} bytes, the file has ${bytes.length}${bytes.length < header + size ? ' (truncated)' : ''}`);
  }
  return { dims, data: bytes.subarray(header) };
}

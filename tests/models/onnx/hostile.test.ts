// Malformed ONNX files (tests/samples/hostile/onnx/README.md says what each does): each must end in an
// OnnxFormatError that contains its hand-written expected message, and no typed array or buffer larger
// than the file itself may be allocated on the way.
import { readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { InputFileError } from '../../../src/core/base/errors';
import { exportOnnx } from '../../../src/core/models/onnx/export';
import { importOnnx, OnnxFormatError } from '../../../src/core/models/onnx/import';
import { zoo } from '../../codegen/zoo';

const dir = resolve(__dirname, '../../samples/hostile/onnx');
const samples = readdirSync(dir).filter((f) => f.endsWith('.onnx')).sort();

const originals = { Float32Array, Float64Array, Int32Array, Uint8Array, ArrayBuffer, BigInt64Array };

/** Replaces the typed-array constructors with ones that record the largest size asked for. */
function watchAllocations(): { largest: () => number } {
  let largest = 0;
  for (const [name, ctor] of Object.entries(originals)) {
    (globalThis as Record<string, unknown>)[name] = new Proxy(ctor, {
      construct(target, args) {
        if (typeof args[0] === 'number') largest = Math.max(largest, args[0] * ((target as { BYTES_PER_ELEMENT?: number }).BYTES_PER_ELEMENT ?? 1));
        return Reflect.construct(target, args);
      },
    });
  }
  return { largest: () => largest };
}

afterEach(() => {
  Object.assign(globalThis, originals);
});

describe('hostile ONNX files', () => {
  it('has the samples', () => {
    expect(samples.length).toBeGreaterThanOrEqual(15);
  });

  it('the watch sees the allocations of a valid import, all within the file', () => {
    const bytes = new Uint8Array(readFileSync(resolve(dir, 'truncated.onnx'))).length; // the same model, whole, is made below
    expect(bytes).toBeGreaterThan(0);
    const valid = exportOnnx(zoo.conv1d());
    const watch = watchAllocations();
    importOnnx(valid);
    Object.assign(globalThis, originals);
    expect(watch.largest()).toBeGreaterThan(0);
    expect(watch.largest()).toBeLessThanOrEqual(valid.length);
  });

  for (const file of samples) {
    it(`${file}: a clear error, and nothing allocated beyond the file's size`, () => {
      const bytes = new Uint8Array(readFileSync(resolve(dir, file)));
      const expected = readFileSync(resolve(dir, file.replace(/\.onnx$/, '.expected.txt')), 'utf8').trim();
      const watch = watchAllocations();
      let error: unknown;
      try {
        importOnnx(bytes, { source: file });
      } catch (e) {
        error = e;
      }
      Object.assign(globalThis, originals);
      expect(error).toBeInstanceOf(OnnxFormatError);
      expect(error).toBeInstanceOf(InputFileError);
      expect((error as Error).message).toContain(file);
      expect((error as Error).message).toContain(expected);
      expect(watch.largest()).toBeLessThanOrEqual(Math.max(bytes.length, 64));
    });
  }
});

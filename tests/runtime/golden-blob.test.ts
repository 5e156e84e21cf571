// Golden model blobs on disk (tests/samples/runtime/*.v1.blob): the encoder must still write exactly these
// bytes for format version 1. A change to the layout that keeps MODEL_BLOB_FORMAT_VERSION = 1 fails here: bump
// the version (docs/model-blob.md), keep the v1 sample, and say how the runtime treats it. Regenerate only for
// a deliberate new version: MOTE_WRITE_GOLDEN=1 npx vitest run tests/runtime/golden-blob.test.ts
// The C runtime reading these same files is checked in host-runtime.test.ts.

import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { H, MODEL_BLOB_FORMAT_VERSION, MODEL_BLOB_MAGIC } from '../../src/core/runtime/blob-format';
import { GOLDEN, goldenBlob } from './golden';

const SAMPLES = resolve(__dirname, '../samples/runtime');

describe('golden model blobs, format version 1', () => {
  for (const g of GOLDEN) {
    it(`${g.file}: the encoder writes the golden bytes`, () => {
      const path = resolve(SAMPLES, g.file);
      const bytes = goldenBlob(g);
      if (process.env.MOTE_WRITE_GOLDEN === '1') writeFileSync(path, bytes);
      expect(existsSync(path), `${path} is missing: restore it from git (regenerate only for a new format version)`).toBe(true);
      const golden = new Uint8Array(readFileSync(path));
      expect([...golden.slice(0, 4)]).toEqual([...MODEL_BLOB_MAGIC]);
      const view = new DataView(golden.buffer, golden.byteOffset, golden.byteLength);
      expect(view.getUint16(H.version, true)).toBe(1);
      expect(view.getUint32(H.blobBytes, true)).toBe(golden.length);
      // The golden file is v1; if the current version moved on, this sample must be kept and read or refused by name.
      expect(MODEL_BLOB_FORMAT_VERSION, 'format version changed: keep the v1 samples and test how v1 is treated').toBe(1);
      const firstDifference = bytes.findIndex((b, i) => b !== golden[i]);
      expect({ length: bytes.length, firstDifference }).toEqual({ length: golden.length, firstDifference: -1 });
    });
  }
});

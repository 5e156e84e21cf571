// The model blob's fixed layout (docs/model-blob.md), shared by the encoder (blob.ts) and the decoder
// (blob-decode.ts); the C loader (runtime/src/mote_runtime.c) reads the same offsets.

export const MODEL_BLOB_MAGIC = [0x4d, 0x4f, 0x54, 0x42] as const; // "MOTB"
export const MODEL_BLOB_FORMAT_VERSION = 1;
export const HEADER_BYTES = 128;
export const TENSOR_ENTRY_BYTES = 8;
export const LAYER_RECORD_FIXED_BYTES = 8;
/** Tensor 0's arena offset: the caller's input buffer. */
export const TENSOR_INPUT = 0xffffffff;
export const MAX_NAME_BYTES = 59;
/** Most inputs one layer record may name (the runtime's RT_MAX_INPUTS). */
export const MAX_LAYER_INPUTS = 16;

/** Header field offsets. */
export const H = {
  magic: 0, version: 4, headerBytes: 6, blobBytes: 8, bits: 12, longWidth: 13, packed: 14, inputRank: 15, inputShape: 16,
  inputFrac: 24, outputFrac: 25, inputRound: 26, reserved: 27, tensorCount: 28, layerCount: 30, outputTensor: 32,
  arenaElements: 36, inputElements: 40, outputElements: 44, tensorsOffset: 48, layersOffset: 52, layersBytes: 56,
  weightsOffset: 60, weightsBytes: 64, nameLength: 68, name: 69,
} as const;

/** Round mode byte, as ROUND_MODE_* of docs/codegen-abi.md. */
export const ROUND_CODES = { floor: 0, nearest: 1, ceil: 2 } as const;

/** Load results, as `enum mote_rt_status` (also the detail of protocol ERROR 6). */
export const BlobStatus = {
  ok: 0, truncated: 1, badMagic: 2, unknownVersion: 3, badCrc: 4, badHeader: 5, unknownLayer: 6, badLayer: 7, tooLarge: 8,
} as const;
export type BlobStatusName = keyof typeof BlobStatus;

export const BLOB_STATUS_TEXT: Record<number, string> = {
  1: 'the blob is truncated',
  2: 'it is not a Mote model blob (bad magic)',
  3: 'its format version is not one this runtime reads',
  4: 'its CRC-32 does not match (corrupted in transfer or storage)',
  5: 'its header or section table is inconsistent',
  6: 'it has a layer code this runtime does not know',
  7: "a layer's parameters, tensors or weights are inconsistent",
  8: "it needs more than the runtime's capacity (arena, layers or tensors)",
};

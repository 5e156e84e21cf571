// The Mote Runtime's wasm32 image (runtime/ports/wasm, prebuilt in runtime/prebuilt/mote-runtime.wasm) as an
// executor: instantiate the image, load a model blob (the runtime's loader checks every bound and answers a
// status, turned here into an error in plain words), run input vectors, read the outputs. Pure TypeScript:
// the caller supplies the image's bytes (read from disk in Node, fetched from the app's precache in a worker).

import { MoteError } from '../base/errors';
import { BLOB_STATUS_TEXT, MODEL_BLOB_FORMAT_VERSION } from './blob-format';

interface RuntimeImageExports {
  memory: WebAssembly.Memory;
  mote_wasm_blob_buffer(length: number): number;
  mote_wasm_load(length: number): number;
  mote_wasm_bad_offset(): number;
  mote_wasm_input(): number;
  mote_wasm_input_bytes(): number;
  mote_wasm_output(): number;
  mote_wasm_output_bytes(): number;
  mote_wasm_arena_bytes(): number;
  mote_wasm_model_crc(): number;
  mote_wasm_run(): number;
  mote_wasm_inferences(): number;
  mote_wasm_format_version(): number;
  mote_wasm_arena_capacity(): number;
}

const REQUIRED_EXPORTS = [
  'memory', 'mote_wasm_blob_buffer', 'mote_wasm_load', 'mote_wasm_bad_offset', 'mote_wasm_input', 'mote_wasm_input_bytes',
  'mote_wasm_output', 'mote_wasm_output_bytes', 'mote_wasm_arena_bytes', 'mote_wasm_model_crc', 'mote_wasm_run',
  'mote_wasm_inferences', 'mote_wasm_format_version', 'mote_wasm_arena_capacity',
] as const;

/** Status 9 of mote_wasm_load: the image's memory cannot hold the blob or its input/output buffers. */
const NO_MEMORY = 9;

/** The wasm file is not the Mote Runtime's image, or it trapped. */
export class RuntimeImageError extends MoteError {}

/** The runtime refused a model blob: `status` is its mote_rt_status, `offset` the byte it stopped at. */
export class RuntimeBlobError extends MoteError {
  constructor(message: string, readonly status: number, readonly offset: number) {
    super(message);
  }
}

export interface LoadedRuntimeModel {
  inputBytes: number;
  outputBytes: number;
  /** Activation arena of the model in bytes: the RAM it needs beyond the blob. */
  arenaBytes: number;
  /** The blob's CRC-32, as the runtime read it (the model hash). */
  crc: number;
}

export interface WasmRuntime {
  /** Checks and loads `blob` (replacing any model loaded before); throws RuntimeBlobError when refused. */
  load(blob: Uint8Array): LoadedRuntimeModel;
  /** Runs every whole input vector of `inputs` (raw numbers, back to back) and returns the raw outputs. */
  run(inputs: Uint8Array): Uint8Array;
  /** Inferences since the last load. */
  readonly inferences: number;
  /** The arena capacity the image was built with, in bytes. */
  readonly arenaCapacity: number;
}

/** Instantiates the runtime image; throws RuntimeImageError when `image` is not one this code can drive. */
export async function instantiateWasmRuntime(image: Uint8Array | WebAssembly.Module): Promise<WasmRuntime> {
  let instance: WebAssembly.Instance;
  try {
    const module = image instanceof WebAssembly.Module ? image : await WebAssembly.compile(image as BufferSource);
    instance = await WebAssembly.instantiate(module, {});
  } catch (error) {
    throw new RuntimeImageError(`the Mote Runtime's wasm image could not be loaded: ${(error as Error).message}; rebuild it with node scripts/build-wasm-runtime.mjs`, { cause: error });
  }
  const e = instance.exports as Partial<RuntimeImageExports>;
  for (const name of REQUIRED_EXPORTS) {
    if (!(name in e)) throw new RuntimeImageError(`the wasm file does not export ${name}: it is not the Mote Runtime's wasm image (runtime/prebuilt/mote-runtime.wasm)`);
  }
  const x = e as RuntimeImageExports;
  const version = x.mote_wasm_format_version();
  if (version !== MODEL_BLOB_FORMAT_VERSION) {
    throw new RuntimeImageError(`the Mote Runtime's wasm image reads blob format ${version}, but this app writes format ${MODEL_BLOB_FORMAT_VERSION}; rebuild the image (node scripts/build-wasm-runtime.mjs)`);
  }
  const trapping = <T>(what: string, f: () => T): T => {
    try {
      return f();
    } catch (error) {
      throw new RuntimeImageError(`the Mote Runtime trapped while ${what}: ${(error as Error).message}`, { cause: error });
    }
  };
  let model: LoadedRuntimeModel | undefined;
  return {
    load(blob) {
      model = undefined;
      const at = trapping('reserving memory for the blob', () => x.mote_wasm_blob_buffer(blob.length));
      if (at === 0 && blob.length > 0) throw new RuntimeBlobError(`the model blob (${blob.length} bytes) does not fit the wasm runtime's memory`, NO_MEMORY, 0);
      new Uint8Array(x.memory.buffer, at, blob.length).set(blob);
      const status = trapping('loading the blob', () => x.mote_wasm_load(blob.length));
      if (status !== 0) {
        const offset = x.mote_wasm_bad_offset();
        if (status === NO_MEMORY) throw new RuntimeBlobError(`the model blob (${blob.length} bytes) and its buffers do not fit the wasm runtime's memory`, status, offset);
        const why = BLOB_STATUS_TEXT[status] ?? `the runtime answered status ${status}`;
        throw new RuntimeBlobError(`the Mote Runtime refused the model blob: ${why} (status ${status}, at byte ${offset}); regenerate it with prepare_deploy (converter MoteRuntime)`, status, offset);
      }
      model = { inputBytes: x.mote_wasm_input_bytes(), outputBytes: x.mote_wasm_output_bytes(), arenaBytes: x.mote_wasm_arena_bytes(), crc: x.mote_wasm_model_crc() >>> 0 };
      return model;
    },
    run(inputs) {
      if (!model) throw new RuntimeImageError('no model is loaded in the wasm runtime: load a blob before running inputs');
      const { inputBytes, outputBytes } = model;
      if (inputs.length % inputBytes !== 0) throw new RuntimeImageError(`the inputs (${inputs.length} bytes) are not whole vectors of ${inputBytes} bytes, the model's input size`);
      const count = inputs.length / inputBytes;
      const outputs = new Uint8Array(count * outputBytes);
      const input = x.mote_wasm_input(), output = x.mote_wasm_output();
      for (let i = 0; i < count; i++) {
        // Views are taken afresh: the image may have grown its memory (a new buffer) since the last call.
        new Uint8Array(x.memory.buffer, input, inputBytes).set(inputs.subarray(i * inputBytes, (i + 1) * inputBytes));
        trapping(`running input vector ${i}`, () => x.mote_wasm_run());
        outputs.set(new Uint8Array(x.memory.buffer, output, outputBytes), i * outputBytes);
      }
      return outputs;
    },
    get inferences() { return x.mote_wasm_inferences(); },
    get arenaCapacity() { return x.mote_wasm_arena_capacity(); },
  };
}

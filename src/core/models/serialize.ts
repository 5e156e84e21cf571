// Persisted form of a ModelGraph: JSON metadata (layers, shapes, weight index) + one Float32Array holding
// every weight back to back. `encodeGraphFile` packs both into one byte array for `out/learningmodel/`
// and IndexedDB:  "MOTEGRPH" | u32 LE json byte length | json (UTF-8) | zero pad to 4 | float32 LE data.

import { MoteError } from '../base/errors';
import { MODEL_GRAPH_FORMAT_VERSION, type Layer, type ModelGraph } from './graph';
import { inferShapes } from './shapes';

/** A saved model cannot be read (wrong format, newer version, truncated). */
export class ModelFormatError extends MoteError {}

export interface SerializedGraphMeta {
  formatVersion: number;
  name: string;
  layers: Layer[];
  shapes: Record<string, number[]>;
  /** Weight key → where its values lie in the blob (in float32 elements). */
  weights: Record<string, { shape: number[]; offset: number; length: number }>;
}

export interface SerializedGraph {
  meta: SerializedGraphMeta;
  data: Float32Array;
}

export function serializeGraph(graph: ModelGraph): SerializedGraph {
  const weights: SerializedGraphMeta['weights'] = {};
  let total = 0;
  for (const [key, tensor] of Object.entries(graph.weights)) {
    weights[key] = { shape: [...tensor.shape], offset: total, length: tensor.data.length };
    total += tensor.data.length;
  }
  const data = new Float32Array(total);
  for (const [key, tensor] of Object.entries(graph.weights)) data.set(tensor.data, weights[key].offset);
  return {
    meta: { formatVersion: graph.formatVersion, name: graph.name, layers: structuredClone(graph.layers), shapes: structuredClone(graph.shapes), weights },
    data,
  };
}

export function deserializeGraph(serialized: SerializedGraph, source = 'the saved model'): ModelGraph {
  const { meta, data } = serialized;
  if (typeof meta !== 'object' || meta === null || !Array.isArray(meta.layers) || typeof meta.weights !== 'object') {
    throw new ModelFormatError(`${source} is not a Mote model graph (metadata without layers/weights)`);
  }
  if (meta.formatVersion !== MODEL_GRAPH_FORMAT_VERSION) {
    throw new ModelFormatError(
      `${source} uses model format version ${JSON.stringify(meta.formatVersion)}, but this Mote reads version ${MODEL_GRAPH_FORMAT_VERSION}; ` +
        (typeof meta.formatVersion === 'number' && meta.formatVersion > MODEL_GRAPH_FORMAT_VERSION
          ? 'update Mote to read it'
          : 'retrain the model or convert it with the Mote version that wrote it'),
    );
  }
  const weights: ModelGraph['weights'] = {};
  for (const [key, entry] of Object.entries(meta.weights)) {
    if (entry.offset < 0 || entry.offset + entry.length > data.length) {
      throw new ModelFormatError(`${source}: weight '${key}' lies outside the data (${entry.offset}+${entry.length} > ${data.length} values); the file is truncated`);
    }
    weights[key] = { shape: [...entry.shape], data: data.slice(entry.offset, entry.offset + entry.length) };
  }
  const graph: ModelGraph = { formatVersion: MODEL_GRAPH_FORMAT_VERSION, name: meta.name, layers: structuredClone(meta.layers), shapes: {}, weights };
  try {
    return inferShapes(graph);
  } catch (error) {
    throw new ModelFormatError(`${source} holds an inconsistent model: ${(error as Error).message}`, { cause: error });
  }
}

const MAGIC = 'MOTEGRPH';

export function encodeGraphFile(graph: ModelGraph): Uint8Array {
  const { meta, data } = serializeGraph(graph);
  const json = new TextEncoder().encode(JSON.stringify(meta));
  const headerLength = MAGIC.length + 4 + json.length;
  const dataOffset = Math.ceil(headerLength / 4) * 4;
  const bytes = new Uint8Array(dataOffset + data.byteLength);
  bytes.set(new TextEncoder().encode(MAGIC), 0);
  new DataView(bytes.buffer).setUint32(MAGIC.length, json.length, true);
  bytes.set(json, MAGIC.length + 4);
  const view = new DataView(bytes.buffer, dataOffset);
  for (let i = 0; i < data.length; i++) view.setFloat32(i * 4, data[i], true);
  return bytes;
}

export function decodeGraphFile(bytes: Uint8Array, source = 'the model file'): ModelGraph {
  const magic = new TextDecoder().decode(bytes.subarray(0, MAGIC.length));
  if (bytes.length < MAGIC.length + 4 || magic !== MAGIC) {
    throw new ModelFormatError(`${source} is not a Mote model file (it does not start with '${MAGIC}'); Mote saves trained models as .mote files`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const jsonLength = view.getUint32(MAGIC.length, true);
  const jsonEnd = MAGIC.length + 4 + jsonLength;
  if (jsonEnd > bytes.length) throw new ModelFormatError(`${source} is truncated: the header announces ${jsonLength} bytes of metadata, the file has ${bytes.length - MAGIC.length - 4}`);
  let meta: SerializedGraphMeta;
  try {
    meta = JSON.parse(new TextDecoder().decode(bytes.subarray(MAGIC.length + 4, jsonEnd)));
  } catch (error) {
    throw new ModelFormatError(`${source}: the metadata is not valid JSON (${(error as Error).message})`, { cause: error });
  }
  const dataOffset = Math.ceil(jsonEnd / 4) * 4;
  const count = Math.max(0, Math.floor((bytes.length - dataOffset) / 4));
  const data = new Float32Array(count);
  for (let i = 0; i < count; i++) data[i] = view.getFloat32(dataOffset + i * 4, true);
  return deserializeGraph({ meta, data }, source);
}

/** A deep copy (weights included). */
export function cloneGraph(graph: ModelGraph): ModelGraph {
  return {
    formatVersion: graph.formatVersion,
    name: graph.name,
    layers: structuredClone(graph.layers),
    shapes: structuredClone(graph.shapes),
    weights: Object.fromEntries(Object.entries(graph.weights).map(([k, t]) => [k, { shape: [...t.shape], data: t.data.slice() }])),
  };
}

// A training's state at the end of an epoch, enough to go on as if it had never stopped: the weights (moving
// statistics included), the optimizer's step count and moment buffers, every random stream trainModel draws
// from, the epochs' history and the best epoch kept so far. The app saves one per epoch (IndexedDB, through
// the run's workspace) so that a run interrupted by a reload resumes where it was and ends with the same
// weights as an uninterrupted run of the same seed.
//
// File format (versioned, read as hostile input):
//   "MOTECKPT" | u32 LE json byte length | json (UTF-8) | zero pad to 4 | float32 LE data
// The JSON holds everything but the tensors, which it lists by name with their shape and place in the data.

import { MoteError } from '../base/errors';
import type { RngState } from '../base/rng';
import type { OptimizerState } from './optimizers';

export const CHECKPOINT_FORMAT_VERSION = 1;

/** A saved checkpoint cannot be used (wrong format, another version, truncated, made for another training). */
export class CheckpointError extends MoteError {}

export interface SavedTensor { shape: number[]; data: Float32Array }

export type TrainingStreams = 'shuffle' | 'dropout' | 'augment' | 'evaluation';

export interface TrainingCheckpoint {
  /** What was being trained (model, data sizes, hyper-parameters, seed): only the same training may resume. */
  fingerprint: string;
  /** Epochs completed (1-based count); training goes on with epoch `epochsDone + 1`. */
  epochsDone: number;
  /** Weight key → values (trainable weights and moving statistics). */
  weights: Record<string, SavedTensor>;
  /** Optimizer slots keyed by weight key (variable names differ between two models of the same graph). */
  optimizer: OptimizerState;
  rngs: Record<TrainingStreams, RngState>;
  /** The completed epochs' records (EpochRecord of train.ts), kept as plain data. */
  history: unknown[];
  /** use_best_epoch: the best epoch so far and its weights. */
  best: { value: number; epoch: number; weights: Record<string, SavedTensor> } | null;
  /** Samples processed so far, for the time-left estimate. */
  workDone: number;
}

interface TensorEntry { shape: number[]; offset: number; length: number }

interface CheckpointHeader {
  format: number;
  fingerprint: string;
  epochsDone: number;
  optimizer: Omit<OptimizerState, 'slots'> & { slots: Record<string, string[]> };
  rngs: Record<TrainingStreams, RngState>;
  history: unknown[];
  best: { value: number; epoch: number } | null;
  workDone: number;
  tensors: Record<string, TensorEntry>;
}

const MAGIC = 'MOTECKPT';
const STREAMS: readonly TrainingStreams[] = ['shuffle', 'dropout', 'augment', 'evaluation'];

export function encodeCheckpoint(checkpoint: TrainingCheckpoint): Uint8Array {
  const tensors: Record<string, TensorEntry> = {};
  const parts: Float32Array[] = [];
  let total = 0;
  const add = (name: string, tensor: SavedTensor): string => {
    tensors[name] = { shape: [...tensor.shape], offset: total, length: tensor.data.length };
    parts.push(tensor.data);
    total += tensor.data.length;
    return name;
  };
  for (const [key, tensor] of Object.entries(checkpoint.weights)) add(`weights/${key}`, tensor);
  if (checkpoint.best) for (const [key, tensor] of Object.entries(checkpoint.best.weights)) add(`best/${key}`, tensor);
  const slots: Record<string, string[]> = {};
  for (const [key, buffers] of Object.entries(checkpoint.optimizer.slots)) slots[key] = buffers.map((b, i) => add(`optimizer/${key}/${i}`, b));
  const header: CheckpointHeader = {
    format: CHECKPOINT_FORMAT_VERSION,
    fingerprint: checkpoint.fingerprint,
    epochsDone: checkpoint.epochsDone,
    optimizer: { kind: checkpoint.optimizer.kind, steps: checkpoint.optimizer.steps, started: checkpoint.optimizer.started, slots },
    rngs: checkpoint.rngs,
    history: checkpoint.history,
    best: checkpoint.best && { value: checkpoint.best.value, epoch: checkpoint.best.epoch },
    workDone: checkpoint.workDone,
    tensors,
  };
  const json = new TextEncoder().encode(JSON.stringify(header));
  const dataOffset = Math.ceil((MAGIC.length + 4 + json.length) / 4) * 4;
  const bytes = new Uint8Array(dataOffset + total * 4);
  bytes.set(new TextEncoder().encode(MAGIC), 0);
  const view = new DataView(bytes.buffer);
  view.setUint32(MAGIC.length, json.length, true);
  bytes.set(json, MAGIC.length + 4);
  let at = dataOffset;
  for (const part of parts) for (let i = 0; i < part.length; i++, at += 4) view.setFloat32(at, part[i], true);
  return bytes;
}

export function decodeCheckpoint(bytes: Uint8Array, source = 'the training checkpoint'): TrainingCheckpoint {
  const fail = (why: string): never => { throw new CheckpointError(`${source} cannot be used: ${why}; the training starts again from its first epoch`); };
  if (bytes.length < MAGIC.length + 4 || new TextDecoder().decode(bytes.subarray(0, MAGIC.length)) !== MAGIC) fail(`it does not start with '${MAGIC}'`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const jsonLength = view.getUint32(MAGIC.length, true);
  const jsonEnd = MAGIC.length + 4 + jsonLength;
  if (jsonEnd > bytes.length) fail(`the header announces ${jsonLength} bytes of metadata but only ${bytes.length - MAGIC.length - 4} follow (truncated)`);
  let header: CheckpointHeader;
  try {
    header = JSON.parse(new TextDecoder().decode(bytes.subarray(MAGIC.length + 4, jsonEnd)));
  } catch (error) {
    return fail(`its metadata is not valid JSON (${(error as Error).message})`);
  }
  if (typeof header !== 'object' || header === null) fail('its metadata is not an object');
  if (header.format !== CHECKPOINT_FORMAT_VERSION) fail(`it is format ${JSON.stringify(header.format)}, this Mote reads format ${CHECKPOINT_FORMAT_VERSION}`);
  if (typeof header.fingerprint !== 'string' || !Number.isInteger(header.epochsDone) || header.epochsDone < 0) fail('its fingerprint or epoch count is missing');
  if (!Array.isArray(header.history) || header.history.length !== header.epochsDone) fail(`it records ${Array.isArray(header.history) ? header.history.length : 'no'} epochs of history for ${header.epochsDone} epochs done`);
  if (typeof header.rngs !== 'object' || header.rngs === null || STREAMS.some((s) => typeof header.rngs[s] !== 'object' || header.rngs[s] === null)) fail(`it lacks a random stream (${STREAMS.join(', ')})`);
  if (typeof header.tensors !== 'object' || header.tensors === null) fail('it lists no tensors');
  const dataOffset = Math.ceil(jsonEnd / 4) * 4;
  const values = Math.max(0, Math.floor((bytes.length - dataOffset) / 4));
  const tensor = (name: string): SavedTensor => {
    const entry = Object.hasOwn(header.tensors, name) ? header.tensors[name] : undefined;
    if (!entry || !Array.isArray(entry.shape) || !entry.shape.every((d) => Number.isInteger(d) && d >= 0)) return fail(`tensor '${name}' is missing or has no valid shape`);
    const size = entry.shape.reduce((a, b) => a * b, 1);
    if (!Number.isInteger(entry.offset) || entry.offset < 0 || entry.length !== size || entry.offset + entry.length > values) {
      return fail(`tensor '${name}' (shape [${entry.shape.join(', ')}]) lies outside the data (${entry.offset}+${entry.length} of ${values} values)`);
    }
    const data = new Float32Array(size);
    for (let i = 0; i < size; i++) data[i] = view.getFloat32(dataOffset + (entry.offset + i) * 4, true);
    return { shape: [...entry.shape], data };
  };
  const group = (prefix: string): Record<string, SavedTensor> => Object.fromEntries(Object.keys(header.tensors).filter((n) => n.startsWith(prefix)).map((n) => [n.slice(prefix.length), tensor(n)]));
  const optimizer = header.optimizer;
  if (typeof optimizer !== 'object' || optimizer === null || typeof optimizer.kind !== 'string' || !Number.isInteger(optimizer.steps) || !Array.isArray(optimizer.started) || typeof optimizer.slots !== 'object' || optimizer.slots === null) {
    fail('its optimizer state is incomplete');
  }
  const slots: OptimizerState['slots'] = {};
  for (const [key, names] of Object.entries(optimizer.slots)) {
    if (!Array.isArray(names)) fail(`the optimizer slots of '${key}' are not a list`);
    slots[key] = names.map((n) => tensor(String(n)));
  }
  const best = header.best;
  if (best !== null && (typeof best !== 'object' || !Number.isFinite(best.value) || !Number.isInteger(best.epoch))) fail('its best epoch is not a number');
  return {
    fingerprint: header.fingerprint,
    epochsDone: header.epochsDone,
    weights: group('weights/'),
    optimizer: { kind: optimizer.kind, steps: optimizer.steps, started: optimizer.started.map(String), slots },
    rngs: header.rngs,
    history: header.history,
    best: best && { value: best.value, epoch: best.epoch, weights: group('best/') },
    workDone: Number.isFinite(header.workDone) ? header.workDone : 0,
  };
}

/** FNV-1a over the bytes of typed arrays and strings: tells two trainings apart, not a secure hash. */
export function fingerprintOf(parts: readonly (string | number | ArrayBufferView)[]): string {
  let h = 0x811c9dc5;
  const mix = (byte: number) => { h = Math.imul(h ^ byte, 0x01000193) >>> 0; };
  for (const part of parts) {
    if (typeof part === 'string' || typeof part === 'number') {
      const text = `${typeof part}:${part};`;
      for (let i = 0; i < text.length; i++) { const c = text.charCodeAt(i); mix(c & 0xff); mix(c >>> 8); }
    } else {
      const b = new Uint8Array(part.buffer, part.byteOffset, part.byteLength);
      for (let i = 0; i < b.length; i++) mix(b[i]);
      mix(0x1f);
    }
  }
  return h.toString(16).padStart(8, '0');
}

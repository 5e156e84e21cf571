// A training stopped after an epoch and resumed from that epoch's checkpoint (through the file format) ends
// exactly where an uninterrupted training of the same seed ends: same history, same weights, same test figures.
// A checkpoint of another training is set aside with a message; a damaged file is refused, saying why.
import { describe, expect, it } from 'vitest';
import { restoreRng, createRng } from '../../src/core/base/rng';
import { CheckpointError, decodeCheckpoint, encodeCheckpoint, type TrainingCheckpoint } from '../../src/core/training/checkpoint';
import { trainModel, type TrainOptions, type TrainResult } from '../../src/core/training/train';
import { buildCnn, synthetic } from './synthetic';

const data = { train: synthetic(120, 11), valid: synthetic(30, 12), test: synthetic(45, 13) };

function options(change: Partial<TrainOptions> = {}): TrainOptions {
  return {
    graph: buildCnn(5), data, epochs: 4, batchSize: 16, seed: 9, backend: { order: ['wasm'] },
    optimizer: { kind: 'Adam', params: { lr: 0.01 } }, scheduler: { kind: 'StepLR', params: { step_size: 2, gamma: 0.5 } }, ...change,
  };
}

function sameEnd(resumed: TrainResult, whole: TrainResult): void {
  expect(resumed.history).toEqual(whole.history.map((h, i) => ({ ...h, seconds: resumed.history[i].seconds })));
  for (const [key, tensor] of Object.entries(whole.graph.weights)) expect(Array.from(resumed.graph.weights[key].data), key).toEqual(Array.from(tensor.data));
  expect(resumed.metrics.test!.metrics).toEqual(whole.metrics.test!.metrics);
  expect(resumed.confusion).toEqual(whole.confusion);
}

describe('training checkpoints', () => {
  it('resumed after epoch 2 from the saved file, Adam with a scheduler and dropout ends as the uninterrupted training', async () => {
    const saved: Uint8Array[] = [];
    const whole = await trainModel(options({ onCheckpoint: (c) => { saved.push(encodeCheckpoint(c)); } }));
    expect(saved).toHaveLength(4);
    const afterTwo = decodeCheckpoint(saved[1]);
    expect(afterTwo.epochsDone).toBe(2);
    const resumed = await trainModel(options({ resumeFrom: afterTwo }));
    expect(resumed.messages).toContain("resumed 'synthetic_cnn' after epoch 2 of 4 from its checkpoint");
    sameEnd(resumed, whole);
  });

  it('SGD with momentum and use_best_epoch resume exactly too, the best epoch included', async () => {
    const change: Partial<TrainOptions> = { optimizer: { kind: 'SGD', params: { lr: 0.05, momentum: 0.9 } }, scheduler: undefined, useBestEpoch: true, checkpointMetric: { name: 'val_loss', mode: 'min' } };
    const saved: TrainingCheckpoint[] = [];
    const whole = await trainModel(options({ ...change, onCheckpoint: (c) => { saved.push(decodeCheckpoint(encodeCheckpoint(c))); } }));
    const resumed = await trainModel(options({ ...change, resumeFrom: saved[2] }));
    expect(resumed.bestEpoch).toBe(whole.bestEpoch);
    sameEnd(resumed, whole);
    // The last epoch's checkpoint leaves only the final evaluation to do.
    sameEnd(await trainModel(options({ ...change, resumeFrom: saved[3] })), whole);
  });

  it('a checkpoint of another training (another seed) is set aside with a message, and training starts over', async () => {
    let other: TrainingCheckpoint | undefined;
    await trainModel(options({ seed: 10, epochs: 1, onCheckpoint: (c) => { other = c; } }));
    const whole = await trainModel(options({ epochs: 2 }));
    const fresh = await trainModel(options({ epochs: 2, resumeFrom: other }));
    expect(fresh.messages.join('\n')).toMatch(/checkpoint of 'synthetic_cnn' was set aside \(it was made for another model, data set, seed or settings\); trained from the first epoch/);
    sameEnd(fresh, whole);
  });

  it('a damaged or foreign file is refused, saying what is wrong', async () => {
    let checkpoint: TrainingCheckpoint | undefined;
    await trainModel(options({ epochs: 1, onCheckpoint: (c) => { checkpoint = c; } }));
    const bytes = encodeCheckpoint(checkpoint!);
    expect(() => decodeCheckpoint(new TextEncoder().encode('MOTEGRPH........'))).toThrow(/does not start with 'MOTECKPT'/);
    expect(() => decodeCheckpoint(bytes.subarray(0, 40))).toThrow(/header announces \d+ bytes of metadata but only 28 follow/);
    expect(() => decodeCheckpoint(bytes.subarray(0, bytes.length - 8))).toThrow(CheckpointError);
    expect(() => decodeCheckpoint(bytes.subarray(0, bytes.length - 8))).toThrow(/tensor '.+' \(shape \[.*\]\) lies outside the data/);
    const json = new TextDecoder().decode(bytes.subarray(12, 12 + new DataView(bytes.buffer).getUint32(8, true)));
    const reencoded = (text: string) => {
      const body = new TextEncoder().encode(text);
      const out = new Uint8Array(12 + body.length);
      out.set(bytes.subarray(0, 8));
      new DataView(out.buffer).setUint32(8, body.length, true);
      out.set(body, 12);
      return out;
    };
    expect(() => decodeCheckpoint(reencoded(json.replace('"format":1', '"format":2')))).toThrow(/format 2, this Mote reads format 1/);
    expect(() => decodeCheckpoint(reencoded('{"format":1'))).toThrow(/metadata is not valid JSON/);
  });

  it('a random stream continues exactly from its saved state', () => {
    const rng = createRng(3);
    rng.normal();
    const state = rng.save();
    const copy = restoreRng(JSON.parse(JSON.stringify(state)));
    expect(Array.from({ length: 5 }, () => copy.normal())).toEqual(Array.from({ length: 5 }, () => rng.normal()));
    expect(() => restoreRng({ words: [0, 0, 0, 0], spareNormal: null })).toThrow(/not all zero/);
  });
});

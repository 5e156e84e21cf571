// The Results view's figures from a recorded run: which row leads, sizes against each board's capacity,
// latency measured or estimated (and said which), the confusion matrix and per-class figures, next steps.
import { describe, expect, test } from 'vitest';
import type { DeployResult } from '../../src/core/experiments/results';
import type { RunRecord } from '../../src/core/experiments/store';
import { confusionOf, evaluatedRows, latenciesOf, modelTitle, nextSteps, perClassFigures, runResults, runTitle } from '../../src/ui/state/run-results';
import { factsOf } from '../../src/ui/state/board-catalog';

const nucleo = { name: 'Nucleo-L452RE-P', flashBytes: 512 * 1024, ramBytes: 160 * 1024, clockHz: 80_000_000 };
const tiny = { name: 'Tiny', flashBytes: 1000, ramBytes: 100, clockHz: 16_000_000 };

function row(change: Partial<DeployResult>): DeployResult {
  return {
    target: 'Wasm', quantize: 'int8', optimize: '', n: 100, accuracy: 0.95, reference_accuracy: 0.95, agreement: 1, bit_exact: true,
    avg_latency_us: null, instructions_per_inference: null, macs: 5000, rom_bytes: null, ram_bytes: null, ...change,
  };
}

function run(deploy: DeployResult[], metrics: Record<string, number | null> = { weight_bytes: 2000, arena_bytes: 640, macs: 5000 }, testAcc = 0.97): RunRecord {
  return {
    id: 'r1', experimentId: 'e1', toml: '', status: 'completed', stage: 'deploy_and_evaluate', stages: [], startedAt: '2026-12-03T07:00:00Z', finishedAt: null,
    error: null, metrics,
    results: { format: 1, bench: 'b', config: 'c', updated: '', runs: [{ model: 'cnn_q8', iteration: 1, train: { backend: 'wasm', epochs: 3, seconds: 4, parameters: 1234, metrics: { test_acc: testAcc } }, deploy }] },
  } as RunRecord;
}

describe('runResults', () => {
  test('the board row leads, with float accuracy and sizes against every physical board', () => {
    const results = runResults(run([row({})]), { Wasm: undefined, NucleoL452REP: nucleo, Tiny: tiny });
    expect(results.headline?.row.accuracy).toBe(0.95);
    expect(results.floatAccuracy).toBe(0.97);
    expect(results.parameters).toBe(1234);
    expect(results.sizes.map((s) => [s.board.name, s.flashBytes, s.ramBytes, s.measured, s.fits])).toEqual([
      ['Nucleo-L452RE-P', 2000, 640, false, true],
      ['Tiny', 2000, 640, false, false],
    ]);
  });

  test('a firmware measured on a board replaces the model-only sizes for that board', () => {
    const results = runResults(run([row({}), row({ target: 'NucleoL452REP', rom_bytes: 30_000, ram_bytes: 9_000, avg_latency_us: 812 })]), { NucleoL452REP: nucleo });
    expect(results.sizes[0]).toMatchObject({ flashBytes: 30_000, ramBytes: 9_000, measured: true, fits: true });
    expect(results.headline?.row.target).toBe('NucleoL452REP');
  });

  test('latency: measured when the board timed itself, otherwise estimated per board from instructions, and none from the Wasm board', () => {
    expect(latenciesOf(row({ avg_latency_us: 812 }), nucleo, [nucleo])).toEqual([expect.objectContaining({ kind: 'measured', microseconds: 812, board: 'Nucleo-L452RE-P' })]);
    const estimated = latenciesOf(row({ target: 'VirtualCortexM4', instructions_per_inference: 80_000 }), undefined, [nucleo, tiny]);
    expect(estimated.map((l) => [l.kind, l.board, l.microseconds])).toEqual([['estimate', 'Nucleo-L452RE-P', 1000], ['estimate', 'Tiny', 5000]]);
    expect(estimated[0].how).toMatch(/80,000 instructions counted on VirtualCortexM4, at 80 MHz/);
    expect(latenciesOf(row({}), undefined, [nucleo])).toEqual([]);
  });

  test('a run without deploy rows has no headline and says what to add', () => {
    const results = runResults(run([]), { NucleoL452REP: nucleo });
    expect(results.headline).toBeNull();
    expect(nextSteps(results, run([]))[0].text).toMatch(/add a \[deploy\] table/);
  });
});

describe('confusion matrix and per-class figures', () => {
  test('counted from per-sample answers; unlabelled samples are left out', () => {
    const matrix = confusionOf([{ label: 0, predicted: 0 }, { label: 0, predicted: 1 }, { label: 1, predicted: 1 }, { predicted: 1 }], 2);
    expect(matrix).toEqual([[1, 1], [0, 1]]);
    const figures = perClassFigures(matrix);
    expect(figures[0]).toEqual({ precision: 1, recall: 0.5, f1: 2 / 3, support: 2 });
    expect(figures[1]).toEqual({ precision: 0.5, recall: 1, f1: 2 / 3, support: 1 });
  });

  test('a class never predicted has no precision and an F1 of 0; an absent class has neither recall nor F1', () => {
    const figures = perClassFigures([[0, 2, 0], [0, 3, 0], [0, 0, 0]]);
    expect(figures[0]).toEqual({ precision: null, recall: 0, f1: 0, support: 2 });
    expect(figures[2]).toEqual({ precision: null, recall: null, f1: null, support: 0 });
  });
});

describe('nextSteps', () => {
  test('a quantization loss, a model too big and a low accuracy each give their advice', () => {
    const lossy = run([row({ accuracy: 0.8 })]);
    const texts = nextSteps(runResults(lossy, { Tiny: tiny }), lossy).map((s) => s.text);
    expect(texts[0]).toMatch(/int8 model loses 17\.0 points .* QuantizationAwareTraining/);
    expect(texts[1]).toMatch(/Accuracy is 80\.0 %/);
    expect(texts[2]).toMatch(/does not fit on Tiny/);
  });

  test('a board that disagrees with the reference is said first; a clean run points at a real board', () => {
    const wrong = run([row({ bit_exact: false })]);
    expect(nextSteps(runResults(wrong, {}), wrong)[0].text).toMatch(/differ from Mote's reference/);
    const clean = run([row({})]);
    expect(nextSteps(runResults(clean, { NucleoL452REP: nucleo }), clean)[0]).toMatchObject({ page: 'boards' });
  });
});

describe('factsOf (what a target kind declares for the views)', () => {
  test('a physical board has its title and capacity; an unbounded board or one without figures has a title only', () => {
    expect(factsOf('NucleoL452REP', { title: 'Nucleo-L452RE-P', capacity: { flashBytes: 524_288, ramBytes: 163_840, clockHz: 80_000_000 } }))
      .toEqual({ title: 'Nucleo-L452RE-P', capacity: { name: 'Nucleo-L452RE-P', flashBytes: 524_288, ramBytes: 163_840, clockHz: 80_000_000 } });
    expect(factsOf('Wasm', { title: 'Wasm virtual board', capacity: { flashBytes: null, ramBytes: null, clockHz: null } })).toEqual({ title: 'Wasm virtual board' });
    expect(factsOf('Emu', { capacity: { flashBytes: 4_194_304, ramBytes: 4_194_304, clockHz: null } }).capacity?.clockHz).toBeNull();
    expect(factsOf('Linux', {})).toEqual({ title: 'Linux' });
  });

  test('a board without a clock gets no latency estimate', () => {
    const emulator = { name: 'Emu', flashBytes: 4_194_304, ramBytes: 4_194_304, clockHz: null };
    expect(latenciesOf(row({ target: 'VirtualCortexM4', instructions_per_inference: 80_000 }), undefined, [emulator, nucleo]).map((l) => l.board)).toEqual(['Nucleo-L452RE-P']);
  });
});

describe('names and rows for people', () => {
  test('a row prepared for a target that never ran is left out when another board evaluated the same model', () => {
    const prepared = row({ target: 'Linux', n: null, accuracy: null, reference_accuracy: null, agreement: null, bit_exact: null });
    const rows = runResults(run([prepared, row({})]), {}).boardResults;
    expect(evaluatedRows(rows).map((r) => r.row.target)).toEqual(['Wasm']);
    // Alone (only prepared, nothing evaluated yet), it stays: it is all there is to show.
    expect(evaluatedRows(runResults(run([prepared]), {}).boardResults).map((r) => r.row.target)).toEqual(['Linux']);
    // Another format is another model: an int16 row prepared but not evaluated stays.
    expect(evaluatedRows(runResults(run([{ ...prepared, quantize: 'int16' }, row({})]), {}).boardResults)).toHaveLength(2);
  });

  test('a model is called by its [[model]] name and format; the repetition only when there are several', () => {
    const record = { model: 'digits_cnn_fused_q8_force_qoff_e0_LSQFalse', config_model: 'digits_cnn', iteration: 2 };
    expect(modelTitle(record, 'int8')).toBe('digits_cnn · int8');
    expect(modelTitle(record, 'int8', 3)).toBe('digits_cnn · int8 · repetition 2');
    expect(modelTitle({ model: 'digits_cnn_fused_q8_force_qoff_e0_LSQFalse', iteration: 1 }, null)).toBe('digits_cnn');
  });

  test('runs are told apart by number (oldest first), time, status and headline accuracy', () => {
    const a = { ...run([]), id: 'a', startedAt: '2026-12-03T07:00:00Z', metrics: { target_acc: 0.97 } } as RunRecord;
    const b = { ...run([]), id: 'b', startedAt: '2026-12-03T09:30:00Z', status: 'failed', metrics: {} } as RunRecord;
    expect(runTitle(a, [b, a], 'en-GB')).toMatch(/^Run 1 · 3 Dec, \d\d:00 · completed · 97\.0 %$/);
    expect(runTitle(b, [b, a], 'en-GB')).toMatch(/^Run 2 · 3 Dec, \d\d:30 · failed$/);
  });
});

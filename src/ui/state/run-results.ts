// What the Results view shows of one run, worked out from what the run recorded (results.json rows, headline
// metrics) and, while the tab still has it, the board's per-sample report. Pure functions over plain data, so
// the figures people read are tested in Node; the page only lays them out.
import type { BoardCapacity } from './board-catalog';
import type { DeployResult, RunRecord as ResultsRecord } from '../../core/experiments/results';
import type { RunRecord } from '../../core/experiments/store';

export interface Latency {
  /** measured: the board's own clock; estimate: instructions counted on a virtual board, at a named board's clock. */
  kind: 'measured' | 'estimate';
  microseconds: number;
  /** The board whose clock gives the time. */
  board: string;
  how: string;
}

export interface BoardResult {
  model: string;
  iteration: number;
  row: DeployResult;
  latencies: Latency[];
}

export interface SizeAgainstBoard {
  board: BoardCapacity;
  /** Bytes that go to flash (the weights, or the whole firmware when it was measured on this board). */
  flashBytes: number;
  /** Bytes of RAM (the activation arena, or the whole firmware's RAM when measured). */
  ramBytes: number;
  measured: boolean;
  fits: boolean;
}

export interface RunResults {
  /** The model whose figures lead the page (the last one trained). */
  model: string | null;
  floatAccuracy: number | null;
  parameters: number | null;
  boardResults: BoardResult[];
  /** The result shown first: the last model's first evaluated row. */
  headline: BoardResult | null;
  weightBytes: number | null;
  arenaBytes: number | null;
  macs: number | null;
  sizes: SizeAgainstBoard[];
  /** onnxruntime-web against Mote's float reference, for the model that leads the page (results.json's onnx_*). */
  onnxReference: { n: number | null; agreement: number | null; maxRelDiff: number | null; note: string | null } | null;
}

const num = (value: number | null | undefined): number | null => (typeof value === 'number' && Number.isFinite(value) ? value : null);

/** Time per inference of one row: measured when the board timed itself, else estimated for each named board. */
export function latenciesOf(row: DeployResult, targetCapacity: BoardCapacity | undefined, boards: readonly BoardCapacity[]): Latency[] {
  if (row.avg_latency_us !== null && row.avg_latency_us !== undefined) {
    return [{ kind: 'measured', microseconds: row.avg_latency_us, board: targetCapacity?.name ?? row.target, how: `measured on the board at its clock${targetCapacity?.clockHz ? ` (${targetCapacity.clockHz / 1e6} MHz)` : ''}` }];
  }
  const instructions = num(row.instructions_per_inference);
  if (instructions === null) return [];
  // One instruction per cycle: a Cortex-M core at zero wait states; flash wait states and multi-cycle
  // instructions make the real figure higher, which the label says.
  return boards.flatMap((board) => board.clockHz === null ? [] : [{
    kind: 'estimate' as const, microseconds: (instructions / board.clockHz) * 1e6, board: board.name,
    how: `${Math.round(instructions).toLocaleString('en')} instructions counted on ${row.target}, at ${board.clockHz / 1e6} MHz and one instruction per cycle (a lower bound)`,
  }]);
}

/**
 * The run's figures. `capacities` maps a deploy target kind to its board's capacity (targets without one are
 * virtual); `boards` lists every physical board Mote knows, for sizes and latency estimates.
 */
export function runResults(run: RunRecord, capacities: Readonly<Record<string, BoardCapacity | undefined>>): RunResults {
  const boards = Object.values(capacities).filter((c): c is BoardCapacity => Boolean(c));
  const records: ResultsRecord[] = run.results?.runs ?? [];
  const last = records[records.length - 1];
  const boardResults = records.flatMap((record) => record.deploy.map((row) => ({
    model: record.model, iteration: record.iteration, row, latencies: latenciesOf(row, capacities[row.target], boards),
  })));
  const headline = [...boardResults].reverse().find((r) => r.model === last?.model && r.row.n !== null && r.row.n > 0)
    ?? boardResults.find((r) => r.row.n !== null && r.row.n > 0) ?? null;
  const weightBytes = num(run.metrics.weight_bytes);
  const arenaBytes = num(run.metrics.arena_bytes);
  const sizes: SizeAgainstBoard[] = [];
  for (const board of boards) {
    const measured = boardResults.find((r) => capacities[r.row.target] === board && r.row.rom_bytes !== null && r.row.ram_bytes !== null);
    const flashBytes = measured?.row.rom_bytes ?? weightBytes;
    const ramBytes = measured?.row.ram_bytes ?? arenaBytes;
    if (flashBytes === null || ramBytes === null) continue;
    sizes.push({ board, flashBytes, ramBytes, measured: Boolean(measured), fits: flashBytes <= board.flashBytes && ramBytes <= board.ramBytes });
  }
  return {
    model: last?.model ?? null,
    floatAccuracy: num(last?.train?.metrics.test_acc),
    parameters: num(last?.train?.parameters),
    boardResults, headline, weightBytes, arenaBytes,
    macs: num(run.metrics.macs) ?? num(headline?.row.macs),
    sizes,
    onnxReference: last && last.onnx_note !== undefined ? { n: num(last.onnx_n), agreement: num(last.onnx_agreement), maxRelDiff: num(last.onnx_max_rel_diff), note: last.onnx_note ?? null } : null,
  };
}

/** Rows: true class, columns: predicted class, from per-sample answers (those without a label are left out). */
export function confusionOf(samples: readonly { label?: number; predicted: number }[], classCount: number): number[][] {
  const matrix = Array.from({ length: classCount }, () => new Array<number>(classCount).fill(0));
  for (const { label, predicted } of samples) {
    if (label === undefined || label < 0 || label >= classCount || predicted < 0 || predicted >= classCount) continue;
    matrix[label][predicted]++;
  }
  return matrix;
}

export interface ClassFigures { precision: number | null; recall: number | null; f1: number | null; support: number }

/** Per-class precision, recall and F1 of a confusion matrix; null where a class was never predicted / present. */
export function perClassFigures(matrix: readonly (readonly number[])[]): ClassFigures[] {
  return matrix.map((row, k) => {
    const truePositive = row[k] ?? 0;
    const support = row.reduce((a, b) => a + b, 0);
    const predicted = matrix.reduce((sum, r) => sum + (r[k] ?? 0), 0);
    const precision = predicted ? truePositive / predicted : null;
    const recall = support ? truePositive / support : null;
    const f1 = precision !== null && recall !== null && precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : precision === 0 || recall === 0 ? 0 : null;
    return { precision, recall, f1, support };
  });
}

export interface NextStep { text: string; page?: 'editor' | 'boards' | 'experiments' | 'train' }

const points = (v: number) => `${(v * 100).toFixed(1)} points`;

/** What to try next, from the figures: the most telling first. */
export function nextSteps(results: RunResults, run: RunRecord): NextStep[] {
  const steps: NextStep[] = [];
  const head = results.headline?.row;
  if (run.status === 'failed') steps.push({ text: `The run stopped: ${run.error ?? 'a stage failed'}. Fix it in the editor and run again.`, page: 'editor' });
  if (!head && run.status === 'completed') steps.push({ text: 'Nothing ran on a board: add a [deploy] table (target, quantize) to quantize the model and check it on the virtual board.', page: 'editor' });
  if (head?.bit_exact === false) steps.push({ text: 'The board\'s outputs differ from Mote\'s reference: the generated C and the reference disagree. Keep this run and report it with the experiment.' });
  if (head && head.accuracy !== null && results.floatAccuracy !== null && results.floatAccuracy - head.accuracy > 0.02 + 1e-9) {
    steps.push({ text: `The ${head.quantize} model loses ${points(results.floatAccuracy - head.accuracy)} against the float model: give QuantizationAwareTraining a few epochs (params.epochs), or try int16.`, page: 'editor' });
  }
  const accuracy = head?.accuracy ?? results.floatAccuracy;
  if (accuracy !== null && accuracy < 0.9) steps.push({ text: `Accuracy is ${(accuracy * 100).toFixed(1)} %: train for more epochs, or widen the model (more filters), then compare the runs.`, page: 'editor' });
  const tooBig = results.sizes.filter((s) => !s.fits).map((s) => s.board.name);
  if (tooBig.length) steps.push({ text: `The model does not fit on ${tooBig.join(', ')}: use fewer filters or a smaller input.`, page: 'editor' });
  if (head && steps.length === 0) steps.push({ text: 'The quantized model matches the reference: try it on a board you own.', page: 'boards' });
  if (run.status === 'completed') steps.push({ text: 'Change one thing (epochs, filters, int16) and compare the two runs side by side.', page: 'experiments' });
  return steps;
}

/**
 * The rows worth a line: a row prepared for a target that never ran (the experiment names Linux, the browser
 * evaluated on the Wasm board instead) is left out when another board evaluated the same model and format.
 */
export function evaluatedRows<T extends { model: string; iteration: number; row: DeployResult }>(rows: readonly T[]): T[] {
  const ran = (r: T) => (r.row.n ?? 0) > 0 || r.row.accuracy !== null || r.row.rom_bytes !== null || r.row.ram_bytes !== null;
  const same = (a: T, b: T) => a.model === b.model && a.iteration === b.iteration && a.row.quantize === b.row.quantize && a.row.optimize === b.row.optimize;
  return rows.filter((r) => ran(r) || !rows.some((other) => other !== r && ran(other) && same(other, r)));
}

/** A trained model as people call it: its [[model]] name, the number format, and the repetition when there are several. */
export function modelTitle(record: { model: string; config_model?: string; iteration: number }, quantize: string | null, repetitions = 1): string {
  const base = record.config_model ?? record.model.replace(/_q(8|16)_force_.*$|_fused.*$/, '');
  const format = quantize ? ` · ${quantize}` : '';
  return `${base}${format}${repetitions > 1 ? ` · repetition ${record.iteration}` : ''}`;
}

/** How many repetitions (Qualia's first_run..last_run) a run's results hold. */
export function repetitionsOf(run: Pick<RunRecord, 'results'>): number {
  return new Set((run.results?.runs ?? []).map((r) => r.iteration)).size;
}

/**
 * A run as people tell it apart from its siblings: its number among the experiment's runs (oldest is 1), when
 * it started, how it ended and its headline figure. `runs` is the experiment's list (any order).
 */
export function runTitle(run: RunRecord, runs: readonly RunRecord[], locale?: string): string {
  const older = runs.filter((r) => r.startedAt < run.startedAt || (r.startedAt === run.startedAt && r.id < run.id)).length;
  const when = new Date(run.startedAt).toLocaleString(locale, { day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit' });
  const figure = run.metrics.target_acc ?? run.metrics.test_acc;
  const accuracy = typeof figure === 'number' && Number.isFinite(figure) ? ` · ${(figure * 100).toFixed(1)} %` : '';
  return `Run ${older + 1} · ${when} · ${run.status}${accuracy}`;
}

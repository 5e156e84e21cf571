// Qualia's `out/learningmodel/<name>_r<i>_activations_range.txt` (format since Qualia 2.2.0): one line per
// quantized layer, `name,input_q,activation_q,weights_q,bias_q,input_round_mode,activation_round_mode,
// weights_round_mode`; `None` where a layer has no such tensor (bias_q is None when weights and bias share
// a quantizer). The first line's input_q is the model input's format.

import { InputFileError } from '../base/errors';
import { ROUND_MODES, type RoundMode } from '../layers/shared/fixed-point';
import { facetOf } from '../layers/table';
import type { QuantizedGraph } from './quantized-graph';

export interface ActivationsRangeLine {
  name: string;
  input: number;
  activation: number;
  weights: number | null;
  bias: number | null;
  inputRound: RoundMode;
  activationRound: RoundMode;
  weightsRound: RoundMode;
}

export function activationsRangeLines(q: QuantizedGraph): ActivationsRangeLine[] {
  const graph = q.graph;
  const fracOf = (name: string) => (name === graph.layers[0].name ? q.input.frac : q.formats[name].output);
  const roundOf = (name: string) => (name === graph.layers[0].name ? q.input.round : q.formats[name].round);
  const lines: ActivationsRangeLine[] = [];
  for (const layer of graph.layers) {
    if (layer === graph.layers[0] || facetOf(layer, 'quantize').rangeLine === false) continue;
    const f = q.formats[layer.name];
    lines.push({
      name: layer.name,
      input: fracOf(layer.inputs[0]),
      activation: f.output,
      weights: f.weights ?? null,
      bias: f.separateBias && f.bias !== undefined ? f.bias : null,
      inputRound: roundOf(layer.inputs[0]),
      activationRound: f.round,
      weightsRound: f.weightRound ?? f.round,
    });
  }
  return lines;
}

const text = (v: number | null) => (v === null ? 'None' : String(v));

export function formatActivationsRange(q: QuantizedGraph): string {
  return activationsRangeLines(q)
    .map((l) => [l.name, l.input, l.activation, text(l.weights), text(l.bias), l.inputRound, l.activationRound, l.weightsRound].join(','))
    .join('\n') + '\n';
}

/** Parses the file back (Mote's own or Qualia's, same columns); `source` names the file in errors. */
export function parseActivationsRange(content: string, source: string): ActivationsRangeLine[] {
  const out: ActivationsRangeLine[] = [];
  content.split(/\r?\n/).forEach((raw, index) => {
    const line = raw.trim();
    if (!line) return;
    const cells = line.split(',');
    const where = `${source}:${index + 1}`;
    if (cells.length !== 8) throw new InputFileError(`${where}: expected 8 comma-separated columns (name,input_q,activation_q,weights_q,bias_q,input_round_mode,activation_round_mode,weights_round_mode), got ${cells.length}; files from Qualia before 2.2.0 must be regenerated`);
    const int = (cell: string, column: string, nullable: boolean): number | null => {
      if (nullable && cell === 'None') return null;
      if (!/^-?\d+$/.test(cell)) throw new InputFileError(`${where}: ${column} must be an integer${nullable ? ' or None' : ''}, got '${cell}'`);
      return Number(cell);
    };
    const round = (cell: string, column: string): RoundMode => {
      if (!(ROUND_MODES as readonly string[]).includes(cell)) throw new InputFileError(`${where}: ${column} must be one of ${ROUND_MODES.join(', ')}, got '${cell}'`);
      return cell as RoundMode;
    };
    out.push({
      name: cells[0],
      input: int(cells[1], 'input_q', false)!,
      activation: int(cells[2], 'activation_q', false)!,
      weights: int(cells[3], 'weights_q', true),
      bias: int(cells[4], 'bias_q', true),
      inputRound: round(cells[5], 'input_round_mode'),
      activationRound: round(cells[6], 'activation_round_mode'),
      weightsRound: round(cells[7], 'weights_round_mode'),
    });
  });
  return out;
}

import { describe, expect, it } from 'vitest';
import { boardDeployResult, formatDeployResult } from '../../src/core/pipeline/deploy';

describe('results.json row of a board with a cycle counter', () => {
  const report = { n: 2, accuracy: 1, reference_accuracy: 1, agreement: 1, bit_exact: true, rows: [{ bitExact: true }, { bitExact: true }], cycles_per_inference: 1234.5 };
  it('keeps the board counter\'s cycles per inference and prints them', () => {
    const row = boardDeployResult('VirtualPico', { quantize: 'int8', optimize: '' }, 100, report, { latencyFromBoardClock: false });
    expect(row.cycles_per_inference).toBe(1234.5);
    expect(row.avg_latency_us).toBeNull();
    expect(formatDeployResult(row)).toMatch(/1235 cycles\/inference \(board counter\)/);
  });
  it('leaves the field out for boards that count something else', () => {
    const { cycles_per_inference: _, ...withoutCycles } = report;
    expect('cycles_per_inference' in boardDeployResult('VirtualCortexM4', { quantize: 'int8', optimize: '' }, 100, { ...withoutCycles, instructions_per_inference: 10 })).toBe(false);
  });
});

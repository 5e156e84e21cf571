import { describe, expect, it } from 'vitest';
import { checkPacking, liveLowerBound, packBuffers } from '../../src/core/codegen/allocator';
import { packWeights } from '../../src/core/layers/shared/arith-c';
import { floatHex, intLiteral } from '../../src/core/layers/shared/c-literals';
import { generateC } from '../../src/core/codegen/emit';
import { softmaxModel, quantizeZooModel, randomData, zoo } from './zoo';

describe('C literals', () => {
  it('writes float32 values as exact hex literals', () => {
    expect(floatHex(0.75)).toBe('0x1.8p-1f');
    expect(floatHex(1)).toBe('0x1p+0f');
    expect(floatHex(-2.5)).toBe('-0x1.4p+1f');
    expect(floatHex(0)).toBe('0x0p+0f');
    expect(floatHex(-0)).toBe('-0x0p+0f');
    expect(floatHex(Math.fround(0.1))).toBe('0x1.99999ap-4f');
    expect(floatHex(2 ** -149)).toBe('0x0.000002p-126f');
    expect(() => floatHex(NaN)).toThrow(/NaN/);
    expect(intLiteral(-2147483648)).toBe('(-2147483647 - 1)');
  });
});

describe('packed int8 weights (cortex-m dialect)', () => {
  const pair = (lo: number, hi: number) => ((lo & 0xffff) | (hi << 16)) | 0;
  it('orders int16 pairs as SXTB16 / SXTB16 ror #8 unpack the input word, filters interleaved per block', () => {
    // 2 filters, 1 row, 6 inputs: one group of 4, then 2 leftover inputs.
    const w = [1, -2, 3, -4, 5, -6, /* filter 1 */ -128, 127, 0, -1, 7, 8];
    expect(Array.from(packWeights(w, 2, 1, 6))).toEqual([
      pair(1, 3), pair(-2, -4), pair(-128, 0), pair(127, -1), // group 0: filter 0 then filter 1
      5, 7, -6, 8, // leftovers: input 4 of both filters, then input 5
    ]);
  });
  it('splits filters into blocks of 4, 2, 1, each block row by row', () => {
    // 7 filters, 2 rows of 1 input: no groups, one word per filter, row and input.
    const w = Array.from({ length: 14 }, (_, i) => i - 7); // w[f][r] = 2f + r − 7
    const at = (f: number, r: number) => 2 * f + r - 7;
    expect(Array.from(packWeights(w, 7, 2, 1))).toEqual([
      at(0, 0), at(1, 0), at(2, 0), at(3, 0), at(0, 1), at(1, 1), at(2, 1), at(3, 1),
      at(4, 0), at(5, 0), at(4, 1), at(5, 1),
      at(6, 0), at(6, 1),
    ]);
    // The block starting at filter f begins at word f · rows · words per row.
    expect(packWeights(w, 7, 2, 1)[4 * 2]).toBe(at(4, 0));
  });
  it('costs flash only where asked: packInt8Weights false keeps the c99 weight bytes', () => {
    const graph = zoo.conv2d();
    const q = quantizeZooModel(graph, 8, 'floor', randomData(graph.shapes.input, 16, 3), 16);
    const bytes = (options: Parameters<typeof generateC>[1]) => generateC({ format: 'int8', quantized: q }, options).report.weightBytes;
    const portable = bytes({ dialect: 'c99' });
    expect(bytes({ dialect: 'cortex-m', packInt8Weights: false })).toBe(portable);
    expect(bytes({ dialect: 'cortex-m' })).toBeGreaterThan(portable);
    expect(generateC({ format: 'int8', quantized: q }, { dialect: 'cortex-m', packInt8Weights: false }).files['model_weights.h']).not.toContain('int32_t conv1_kernel');
  });
  it('keeps -128 · -128 exact in a pair (sign-extended halves)', () => {
    const [lo02] = packWeights([-128, 0, -128, 0], 1, 1, 4);
    expect(lo02 << 16 >> 16).toBe(-128);
    expect(lo02 >> 16).toBe(-128);
  });
});

describe('activation arena', () => {
  it('reuses memory of dead buffers and proves the packing', () => {
    // A chain a → b → c → d: a and c can share, b and d can share.
    const plan = packBuffers([
      { name: 'a', size: 100, first: 1, last: 2 },
      { name: 'b', size: 60, first: 2, last: 3 },
      { name: 'c', size: 80, first: 3, last: 4 },
      { name: 'd', size: 50, first: 4, last: 5 },
    ], 4);
    expect(plan.size).toBe(160);
    expect(plan.unpackedSize).toBe(290);
  });

  it('keeps a residual input alive across the block', () => {
    const plan = packBuffers([
      { name: 'stem', size: 64, first: 1, last: 4 },
      { name: 'conv1', size: 64, first: 2, last: 3 },
      { name: 'conv2', size: 64, first: 3, last: 4 },
    ]);
    expect(plan.size).toBe(192);
    expect(plan.lowerBound).toBe(192);
  });

  it('bounds every packing from below by the largest live set', () => {
    // Live sets: {a, b} = 30 at step 2, {b, c} = 25 at step 3: no packing fits in fewer than 30.
    const requests = [
      { name: 'a', size: 10, first: 1, last: 2 },
      { name: 'b', size: 20, first: 2, last: 3 },
      { name: 'c', size: 5, first: 3, last: 4 },
    ];
    expect(liveLowerBound(requests)).toBe(30);
    const plan = packBuffers(requests);
    expect(plan.lowerBound).toBe(30);
    expect(plan.size).toBeGreaterThanOrEqual(plan.lowerBound);
  });

  it('reaches the bound on a chain with a small buffer between large ones (the AD autoencoder\'s bottleneck)', () => {
    // Largest first puts the 8-wide buffer above two 128-wide ones (264); filling its gap from the end
    // leaves room for the next 128-wide buffer below it (256, the bound).
    const sizes = [128, 128, 128, 128, 8, 128, 128, 128, 128];
    const plan = packBuffers(sizes.map((size, i) => ({ name: `b${i}`, size, first: i + 1, last: i + 2 })), 4);
    expect(plan.lowerBound).toBe(256);
    expect(plan.size).toBe(256);
  });

  it('rejects overlapping live buffers', () => {
    expect(() => checkPacking({ size: 10, unpackedSize: 20, lowerBound: 20, placements: [{ name: 'a', size: 10, first: 1, last: 2, offset: 0 }, { name: 'b', size: 10, first: 2, last: 3, offset: 0 }] })).toThrow(/'a' and 'b' are live together/);
  });
});

describe('unsupported layers', () => {
  it('names the layer and the stage', () => {
    const graph = softmaxModel();
    expect(() => quantizeZooModel(graph, 8, 'floor', randomData([10], 8, 1), 8)).toThrow(/layer 'softmax' \(Softmax\) is not supported by quantization/);
    expect(generateC({ format: 'float32', graph }).files['model.c']).toContain('expf(');
  });
});

describe('rescaling expressions (C) agree with fixed-point.ts at the edges', () => {
  it('for both dialects, int8/int16, accumulators near the 32-bit limits and every round mode', async () => {
    const { numberHelpers, requantizeExpr } = await import('../../src/core/layers/shared/arith-c');
    const { requantize } = await import('../../src/core/layers/shared/fixed-point');
    const { exec, writeSources } = await import('./host-build');
    const { mkdtempSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const accs = [2147483647, 2147483646, 2147483000, -2147483648, -2147483647, -5, -1, 0, 1, 5, 1073741824, -1073741825, 123456789];
    for (const number of ['int8', 'int16'] as const) {
      for (const dialect of ['c99', 'cortex-m'] as const) {
        const ctx = { number, dialect, longWidth: 32 } as never;
        const statements: string[] = [];
        const expected: number[] = [];
        for (const round of ['nearest', 'floor', 'ceil'] as const) {
          for (const shift of [1, 7, 15, 16, 17, 24, 25, 31, 40]) {
            for (const acc of accs) {
              statements.push(`  { mote_acc_t acc = ${acc === -2147483648 ? '(-2147483647 - 1)' : acc}; printf("%d\\n", (int)${requantizeExpr(ctx, 'acc', shift, round, true)}); }`);
              expected.push(requantize(acc, shift, round, number === 'int8' ? 8 : 16));
            }
          }
        }
        const dir = mkdtempSync(join(tmpdir(), 'mote-rescale-'));
        writeSources(dir, { 'main.c': `#include <stdint.h>\n#include <string.h>\n#include <stdio.h>\ntypedef ${number}_t model_number_t;\n${numberHelpers(number, dialect, 32)}\nint main(void) {\n${statements.join('\n')}\n  return 0;\n}\n` });
        const build = await exec('cc', ['-O2', '-std=c99', '-Wall', '-Werror', '-fsanitize=undefined', '-fno-sanitize-recover=all', 'main.c', '-o', 'main'], dir);
        expect(build.ok, build.out).toBe(true);
        const run = await exec(join(dir, 'main'), [], dir);
        expect(run.out.trim().split('\n').map(Number)).toEqual(expected);
      }
    }
  });

  it('with 64-bit accumulators (int16, SMLALD), values inside and beyond 32 bits and every round mode', async () => {
    const { numberHelpers, requantizeExpr } = await import('../../src/core/layers/shared/arith-c');
    const { requantize } = await import('../../src/core/layers/shared/fixed-point');
    const { exec, writeSources } = await import('./host-build');
    const { mkdtempSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const edges = [2 ** 31 - 1, 2 ** 31, 2 ** 31 + 1, 2 ** 32, 2 ** 32 + 5, 2 ** 40, 2 ** 52, 2 ** 31 - 2 ** 15, 2 ** 31 - 40000, 0, 1, 5, 32767, 32768, 65535, 65536, 123456789];
    const accs = [...edges, ...edges.map((v) => -v), -(2 ** 31) - 1, -(2 ** 31) + 1];
    for (const dialect of ['c99', 'cortex-m'] as const) {
      const ctx = { number: 'int16', dialect, longWidth: 64 } as never;
      const statements: string[] = [];
      const expected: number[] = [];
      for (const round of ['nearest', 'floor', 'ceil'] as const) {
        for (const shift of [1, 7, 15, 16, 17, 24, 31, 40]) {
          for (const acc of accs) {
            statements.push(`  { mote_acc_t acc = ${acc}LL; printf("%d\\n", (int)${requantizeExpr(ctx, 'acc', shift, round, true)}); }`);
            expected.push(requantize(acc, shift, round, 16));
          }
        }
      }
      const dir = mkdtempSync(join(tmpdir(), 'mote-rescale64-'));
      writeSources(dir, { 'main.c': `#include <stdint.h>\n#include <string.h>\n#include <stdio.h>\ntypedef int16_t model_number_t;\n${numberHelpers('int16', dialect, 64)}\nint main(void) {\n${statements.join('\n')}\n  return 0;\n}\n` });
      const build = await exec('cc', ['-O2', '-std=c99', '-Wall', '-Werror', '-fsanitize=undefined', '-fno-sanitize-recover=all', 'main.c', '-o', 'main'], dir);
      expect(build.ok, build.out).toBe(true);
      if (dialect === 'cortex-m') expect(statements.some((l) => l.includes('mote_requantize64'))).toBe(true);
      const run = await exec(join(dir, 'main'), [], dir);
      expect(run.out.trim().split('\n').map(Number)).toEqual(expected);
    }
  });
});

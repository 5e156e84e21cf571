// The tfjs calibration (used by the postprocessing, fast on image-sized models) agrees with the
// plain-TypeScript one over the float reference: same ranges up to float32 rounding, same formats.

import { describe, expect, it } from 'vitest';
import { calibrate } from '../../src/core/quantization/calibrate';
import { fractionalBits } from '../../src/core/layers/shared/fixed-point';
import { lowerForDeployment } from '../../src/core/quantization/lower';
import { calibrateTf } from '../../src/core/quantization/qat';
import { resolveQuantizers, type QuantParams } from '../../src/core/quantization/quant-params';
import { randomData, zoo } from '../codegen/zoo';

describe('calibrateTf', () => {
  it.each(Object.keys(zoo))('%s: ranges match the TypeScript calibration', async (name) => {
    const graph = lowerForDeployment(zoo[name]());
    const data = { x: randomData(graph.shapes.input, 40, 5), count: 40 };
    const quant = resolveQuantizers({ bits: 8, quantype: 'fxp' } as QuantParams, 'qp');
    const reference = calibrate(graph, data);
    const tf = await calibrateTf(graph, quant, data, { batchSize: 16 });
    expect(tf.input).toBe(reference.input);
    // Layers that keep their input's format (pooling, ReLU, Flatten) are not observed by the tfjs pass.
    const observed = Object.entries(tf.outputs).filter(([, max]) => max > 0);
    expect(observed.length).toBeGreaterThan(0);
    for (const [layer, max] of observed) {
      expect(Math.abs(max - reference.outputs[layer]) / reference.outputs[layer], layer).toBeLessThan(1e-5);
      expect(fractionalBits(max, 8), layer).toBe(fractionalBits(reference.outputs[layer], 8));
    }
  });
});

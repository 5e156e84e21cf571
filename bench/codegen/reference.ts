// `node bench/codegen/start.mjs reference`: speed of the integer reference interpreter (the oracle every
// target is compared with) on the Fashion-MNIST CNN of conf/fashionmnist/cnn_int8.toml, int8.
import { modelKinds } from '../../src/core/models/registry';
import { fuseBatchNorm } from '../../src/core/postprocessing/fuse-batchnorm';
import { calibrate } from '../../src/core/quantization/calibrate';
import { lowerForDeployment } from '../../src/core/quantization/lower';
import { quantizeGraph } from '../../src/core/quantization/quantized-graph';
import { resolveQuantizers, type QuantParams } from '../../src/core/quantization/quant-params';
import { quantizeInput, runIntReference } from '../../src/core/quantization/reference-int';
import { createRng } from '../../src/core/base/rng';

const params = modelKinds.CNN.params.parse({ dims: 2, batch_norm: true, filters: [16, 32], kernel_sizes: [3, 3], paddings: [1, 1], strides: [1, 1], pool_sizes: [2, 2], dropouts: [0, 0, 0], fc_units: [64] }, 'model[0].params', []);
const graph = lowerForDeployment(fuseBatchNorm(modelKinds.CNN.build(params, [28, 28, 1], 10, 'fashionmnist_cnn', { rng: createRng(1) })).graph);
const rng = createRng(2);
const count = 200;
const x = Float32Array.from({ length: count * 784 }, () => rng.next());
const q = quantizeGraph(graph, calibrate(graph, { x: x.subarray(0, 64 * 784), count: 64 }), resolveQuantizers({ bits: 8, quantype: 'fxp', roundtype: 'nearest' } as QuantParams, 'quant_params'));
for (const longWidth of [32, 16, 64] as const) {
  const t = performance.now();
  for (let i = 0; i < count; i++) runIntReference(q, quantizeInput(q, x.subarray(i * 784, (i + 1) * 784)), { longWidth });
  const ms = (performance.now() - t) / count;
  console.log(`integer reference, int8, ${longWidth}-bit accumulators: ${ms.toFixed(2)} ms/vector (10 000 test vectors: ${(ms * 10).toFixed(0)} s)`);
}

// `node bench/codegen/start.mjs calibration`: PTQ calibration throughput on the Fashion-MNIST CNN of
// conf/fashionmnist/cnn_int8.toml (filters [16, 32], 3×3, BN folded, fc 64): the plain-TypeScript pass over
// the float reference vs the tfjs pass the QuantizationAwareTraining postprocessing uses.
import { selectBackend } from '../../src/core/training/backend';
import { modelKinds } from '../../src/core/models/registry';
import { fuseBatchNorm } from '../../src/core/postprocessing/fuse-batchnorm';
import { calibrate } from '../../src/core/quantization/calibrate';
import { lowerForDeployment } from '../../src/core/quantization/lower';
import { calibrateTf } from '../../src/core/quantization/qat';
import { resolveQuantizers, type QuantParams } from '../../src/core/quantization/quant-params';
import { createRng } from '../../src/core/base/rng';

const params = modelKinds.CNN.params.parse({ dims: 2, batch_norm: true, filters: [16, 32], kernel_sizes: [3, 3], paddings: [1, 1], strides: [1, 1], pool_sizes: [2, 2], dropouts: [0, 0, 0], fc_units: [64] }, 'model[0].params', []);
const graph = lowerForDeployment(fuseBatchNorm(modelKinds.CNN.build(params, [28, 28, 1], 10, 'fashionmnist_cnn', { rng: createRng(1) })).graph);
const rng = createRng(2);
const count = 2048;
const x = Float32Array.from({ length: count * 784 }, () => rng.next());
const quant = resolveQuantizers({ bits: 8, quantype: 'fxp' } as QuantParams, 'quant_params');
const backend = await selectBackend();
const small = 200;
let t = performance.now();
calibrate(graph, { x: x.subarray(0, small * 784), count: small });
const plain = (performance.now() - t) / small;
await calibrateTf(graph, quant, { x: x.subarray(0, 256 * 784), count: 256 }); // warm-up
t = performance.now();
await calibrateTf(graph, quant, { x, count });
const viaTf = (performance.now() - t) / count;
console.log(`| calibration | ms/sample | 54 000 samples |\n|---|---:|---:|`);
console.log(`| plain TypeScript (float reference) | ${plain.toFixed(3)} | ${(plain * 54).toFixed(0)} s |`);
console.log(`| tfjs ${backend.name} (${backend.details}) | ${viaTf.toFixed(3)} | ${(viaTf * 54).toFixed(1)} s |`);

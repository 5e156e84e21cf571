// `node bench/codegen/start.mjs ptq-accuracy <model.mote> <out/data/<dataset>> [scale] [test vectors]`: float vs int8/int16
// PTQ accuracy of a trained model on a cached dataset (Qualia's out/data layout, .npy), calibrating on the
// train set as the model sees it (values × scale, e.g. 1/255 for IntToFloat32 scale = true). Integer
// accuracy comes from the integer reference interpreter, which the generated C reproduces bit-exactly.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { decodeGraphFile } from '../../src/core/models/serialize';
import { forwardFloat } from '../../src/core/models/reference-float';
import { lowerForDeployment } from '../../src/core/quantization/lower';
import { calibrateTf } from '../../src/core/quantization/qat';
import { quantizeGraph } from '../../src/core/quantization/quantized-graph';
import { resolveQuantizers, type QuantParams } from '../../src/core/quantization/quant-params';
import { quantizeInput, runIntReference } from '../../src/core/quantization/reference-int';

function readNpy(path: string): { data: Float32Array; shape: number[] } {
  const bytes = readFileSync(path);
  const headerLength = bytes.readUInt16LE(8);
  const header = bytes.subarray(10, 10 + headerLength).toString('latin1');
  const descr = /'descr': '([^']+)'/.exec(header)![1];
  const shape = /'shape': \(([^)]*)\)/.exec(header)![1].split(',').map((s) => s.trim()).filter(Boolean).map(Number);
  const body = bytes.subarray(10 + headerLength);
  const copy = new Uint8Array(body).buffer;
  const typed = descr === '|u1' ? new Uint8Array(copy) : descr === '<f4' ? new Float32Array(copy) : descr === '<i4' ? new Int32Array(copy) : descr === '<i8' ? Float64Array.from(new BigInt64Array(copy), Number) : undefined;
  if (!typed) throw new Error(`${path}: unsupported dtype ${descr}`);
  return { data: Float32Array.from(typed), shape };
}

function labelsOf(path: string): Int32Array {
  const { data, shape } = readNpy(path);
  if (shape.length === 1) return Int32Array.from(data);
  const classes = shape[1];
  return Int32Array.from({ length: shape[0] }, (_, i) => { let best = 0; for (let c = 1; c < classes; c++) if (data[i * classes + c] > data[i * classes + best]) best = c; return best; });
}

const [modelPath, dataDir, scaleText, limitText] = process.argv.slice(3);
const scale = scaleText ? Number(scaleText) : 1;
const graph = decodeGraphFile(new Uint8Array(readFileSync(modelPath)), modelPath);
const lowered = lowerForDeployment(graph);
const train = readNpy(join(dataDir, 'train', 'data.npy'));
const test = readNpy(join(dataDir, 'test', 'data.npy'));
for (const set of [train, test]) for (let i = 0; i < set.data.length; i++) set.data[i] *= scale;
const allLabels = labelsOf(join(dataDir, 'test', 'labels.npy'));
const testLabels = allLabels.subarray(0, limitText ? Number(limitText) : allLabels.length);
const inputSize = test.data.length / allLabels.length;
const argmax = (v: ArrayLike<number>, base: number, n: number) => { let b = 0; for (let j = 1; j < n; j++) if (v[base + j] > v[base + b]) b = j; return b; };
const classes = 10;
const float = forwardFloat(lowered, { data: test.data.subarray(0, testLabels.length * inputSize), batch: testLabels.length }).output;
let floatCorrect = 0;
for (let i = 0; i < testLabels.length; i++) if (argmax(float, i * classes, classes) === testLabels[i]) floatCorrect++;
console.log(`float32: ${(100 * floatCorrect / testLabels.length).toFixed(2)} % on ${testLabels.length} test vectors`);
for (const bits of [8, 16] as const) {
  for (const roundtype of ['nearest', 'floor'] as const) {
    const quant = resolveQuantizers({ bits, quantype: 'fxp', roundtype, range_setting: 'minmax', LSQ: false } as QuantParams, 'quant_params');
    // Default accumulators (32-bit int8, 64-bit int16), and Qualia's int16 default of 32 bits for comparison.
    const ranges = await calibrateTf(lowered, quant, { x: train.data, count: train.data.length / inputSize });
    const q = quantizeGraph(lowered, ranges, quant);
    for (const longWidth of bits === 16 ? ([64, 32] as const) : ([32] as const)) {
      let correct = 0;
      let agree = 0;
      for (let i = 0; i < testLabels.length; i++) {
        const out = runIntReference(q, quantizeInput(q, test.data.subarray(i * inputSize, (i + 1) * inputSize)), { longWidth });
        const predicted = argmax(out, 0, classes);
        if (predicted === testLabels[i]) correct++;
        if (predicted === argmax(float, i * classes, classes)) agree++;
      }
      console.log(`int${bits} ${roundtype}, ${longWidth}-bit accumulators: ${(100 * correct / testLabels.length).toFixed(2)} % (same class as float: ${(100 * agree / testLabels.length).toFixed(2)} %)`);
    }
  }
}

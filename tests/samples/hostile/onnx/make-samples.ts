// Writes the hostile ONNX samples beside this file: `npx tsx tests/samples/hostile/onnx/make-samples.ts`.
// Each is a valid model (tests/models/onnx/torch-style.ts, or Mote's own export) broken in one way; the
// message each must produce is written by hand in `<name>.expected.txt` (a fragment the error must contain).
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { exportOnnx } from '../../../../src/core/models/onnx/export';
import { AttributeType, encodeOnnxModel, type OnnxModel } from '../../../../src/core/models/onnx/schema';
import { zoo } from '../../../codegen/zoo';
import { torchCnn2d } from '../../../models/onnx/torch-style';

const here = dirname(fileURLToPath(import.meta.url));

function mutate(change: (m: OnnxModel) => void): Uint8Array {
  const model = torchCnn2d();
  change(model);
  return encodeOnnxModel(model);
}

const initializer = (m: OnnxModel, name: string) => m.graph.initializers.find((t) => t.name === name)!;
const node = (m: OnnxModel, name: string) => m.graph.nodes.find((n) => n.name === name)!;

const valid = exportOnnx(zoo.conv1d());

const samples: Record<string, { bytes: Uint8Array; expected: string }> = {
  truncated: { bytes: valid.subarray(0, Math.floor(valid.length * 0.6)), expected: 'remain (the file is truncated)' },
  empty: { bytes: new Uint8Array(0), expected: 'is empty' },
  'not-onnx': { bytes: new TextEncoder().encode("[model]\nkind = 'CNN'\n"), expected: 'which no ONNX field uses (the file is corrupt or not ONNX)' },
  'varint-overflow': { bytes: Uint8Array.of(0x08, ...Array(11).fill(0xff)), expected: 'a varint runs past 10 bytes' },
  // ModelProto.graph (field 7) declaring 2 GiB in a 12-byte file.
  'length-past-end': { bytes: Uint8Array.of(0x08, 0x07, 0x3a, 0x80, 0x80, 0x80, 0x80, 0x08, 0x0a, 0x00, 0x00, 0x00), expected: 'graph declares 2147483648 bytes but only 4 remain' },
  'unknown-op': {
    bytes: mutate((m) => {
      node(m, '/act1/Relu').opType = 'LeakyRelu';
      node(m, '/conv1/Conv').attributes.push({ name: 'foo', type: AttributeType.INT, i: 1 });
      m.graph.nodes.splice(3, 0, { name: '/Shape', opType: 'Shape', domain: '', inputs: ['/pool1/MaxPool_output_0'], outputs: ['/Shape_output_0'], attributes: [] });
    }),
    expected: "unsupported operators: node '/act1/Relu' (LeakyRelu), node '/Shape' (Shape); unsupported attributes: node '/conv1/Conv' (Conv): attribute 'foo'",
  },
  'custom-domain': {
    bytes: mutate((m) => { node(m, '/act1/Relu').domain = 'com.microsoft'; }),
    expected: "node '/act1/Relu' (Relu) in domain 'com.microsoft'",
  },
  'dynamic-shape': {
    bytes: mutate((m) => { m.graph.inputs[0].dims = ['batch', 2, 'height', 8]; }),
    expected: "graph input 'input.1' has a dynamic dim 'height' at axis 2; only the batch (axis 0) may be dynamic",
  },
  'no-input-shape': {
    bytes: mutate((m) => { delete m.graph.inputs[0].dims; }),
    expected: "graph input 'input.1' has no shape",
  },
  'wrong-initializer-size': {
    bytes: mutate((m) => { initializer(m, 'conv1.weight').raw = new Uint8Array(40); }),
    expected: "initializer 'conv1.weight': dims [4, 2, 3, 3] declare 72 values (288 bytes of FLOAT) but raw_data holds 40 bytes",
  },
  'wrong-weight-shape': {
    bytes: mutate((m) => {
      const w = initializer(m, 'fc1.weight');
      w.dims = [5, 20];
      w.raw = w.raw!.subarray(0, 5 * 20 * 4);
    }),
    expected: "node '/fc1/Gemm' (Gemm): the weight [5, 20] (transB) reads 20 features but the input has 24",
  },
  'huge-dims': {
    bytes: mutate((m) => { initializer(m, 'conv2.weight').dims = [2 ** 40, 2 ** 40, 3, 3]; }),
    expected: "initializer 'conv2.weight': dims [1099511627776, 1099511627776, 3, 3] declare more than 67,108,864 values",
  },
  'huge-input': {
    bytes: mutate((m) => { m.graph.inputs[0].dims = [1, 65536, 65536, 65536]; }),
    expected: "graph input 'input.1' declares [1, 65536, 65536, 65536], more than 67,108,864 values per sample",
  },
  'negative-dim': {
    bytes: mutate((m) => { initializer(m, 'conv1.bias').dims = [-4]; }),
    expected: "initializer 'conv1.bias': dims [-4] hold an invalid size -4",
  },
  'external-data': {
    bytes: mutate((m) => { const w = initializer(m, 'conv1.weight'); delete w.raw; w.external = true; }),
    expected: "initializer 'conv1.weight': its data lives in an external file",
  },
  'asymmetric-pads': {
    bytes: mutate((m) => { node(m, '/conv1/Conv').attributes.find((a) => a.name === 'pads')!.ints = [1, 1, 0, 0]; }),
    expected: "node '/conv1/Conv' (Conv): pads [1, 1, 0, 0] are not symmetric",
  },
  'two-outputs': {
    bytes: mutate((m) => { m.graph.outputs.push({ ...m.graph.outputs[0], name: '/act3/Relu_output_0' }); }),
    expected: 'has 2 graph outputs; Mote models have exactly one',
  },
};

for (const [name, { bytes, expected }] of Object.entries(samples)) {
  writeFileSync(join(here, `${name}.onnx`), bytes);
  writeFileSync(join(here, `${name}.expected.txt`), `${expected}\n`);
}
console.log(`wrote ${Object.keys(samples).length} samples to ${here}`);

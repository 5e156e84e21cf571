// ONNX graphs written the way torch.onnx.export writes them (no PyTorch here to run it): NCHW input named
// like a module argument, `/block/Op` node names and `<module>.weight` initializers, BatchNormalization kept
// (eval mode), Clip bounds and Reshape shapes as Constant nodes, a channels-first Reshape/Flatten feeding a
// Gemm with transB = 1, GlobalAveragePool, Dropout and Identity, a symbolic batch. onnxruntime-web runs them
// as the independent reference of what they compute.

import { createRng } from '../../../src/core/base/rng';
import { AttributeType, DataType, type OnnxAttribute, type OnnxModel, type OnnxNode, type OnnxTensor } from '../../../src/core/models/onnx/schema';

type Attr = number | number[] | { f: number } | string;

class TorchGraph {
  nodes: OnnxNode[] = [];
  initializers: OnnxTensor[] = [];
  private rng;
  constructor(seed: number) {
    this.rng = createRng(seed);
  }

  private float(name: string, dims: number[], values: number[]): string {
    const raw = new Uint8Array(values.length * 4);
    const view = new DataView(raw.buffer);
    values.forEach((v, i) => view.setFloat32(i * 4, v, true));
    this.initializers.push({ name, dataType: DataType.FLOAT, dims, raw });
    return name;
  }

  weight(name: string, dims: number[], scale = 0.4): string {
    const n = dims.reduce((a, b) => a * b, 1);
    return this.float(name, dims, Array.from({ length: n }, () => this.rng.normal() * scale));
  }

  positive(name: string, n: number): string {
    return this.float(name, [n], Array.from({ length: n }, () => 0.5 + this.rng.next()));
  }

  constant(name: string, dims: number[], values: number[], type: number = DataType.FLOAT): string {
    const t: OnnxTensor = type === DataType.FLOAT ? { name, dataType: type, dims, floatData: values } : { name, dataType: type, dims, int64Data: values };
    this.nodes.push({ name: name.replace(/_output_0$/, ''), opType: 'Constant', domain: '', inputs: [], outputs: [name], attributes: [{ name: 'value', type: AttributeType.TENSOR, t }] });
    return name;
  }

  op(name: string, opType: string, inputs: string[], attrs: Record<string, Attr> = {}): string {
    const attributes: OnnxAttribute[] = Object.entries(attrs).map(([n, v]) =>
      typeof v === 'number' ? { name: n, type: AttributeType.INT, i: v }
        : Array.isArray(v) ? { name: n, type: AttributeType.INTS, ints: v }
          : typeof v === 'string' ? { name: n, type: AttributeType.STRING, s: v }
            : { name: n, type: AttributeType.FLOAT, f: v.f });
    const output = `${name}_output_0`;
    this.nodes.push({ name, opType, domain: '', inputs, outputs: [output], attributes });
    return output;
  }

  bn(module: string, x: string, channels: number): string {
    return this.op(`/${module}/BatchNormalization`, 'BatchNormalization', [x, this.positive(`${module}.weight`, channels), this.weight(`${module}.bias`, [channels], 0.2), this.weight(`${module}.running_mean`, [channels], 0.2), this.positive(`${module}.running_var`, channels)], { epsilon: { f: 1e-5 }, momentum: { f: 0.9 } });
  }

  model(name: string, input: { name: string; dims: (number | string)[] }, output: string, classes: number, opset: number): OnnxModel {
    // torch names the graph output after the forward's return; rename the last node's output to it.
    const last = this.nodes[this.nodes.length - 1];
    last.outputs = [output];
    return {
      irVersion: 8, opsets: [{ domain: '', version: opset }], producerName: 'pytorch', producerVersion: '2.1.0', docString: '',
      graph: { name, nodes: this.nodes, initializers: this.initializers, inputs: [{ name: input.name, elemType: DataType.FLOAT, dims: input.dims }], outputs: [{ name: output, elemType: DataType.FLOAT, dims: [input.dims[0], classes] }], sparseInitializers: 0 },
    };
  }
}

/** nn.Sequential(Conv2d(2,4,3,padding=1), BatchNorm2d, ReLU, MaxPool2d(2), Conv2d(4,6,3), ReLU6, Dropout,
 * view(1, -1), Linear(24, 5), ReLU, Linear(5, 3)) on a fixed [1, 2, 8, 8] input. */
export function torchCnn2d(): OnnxModel {
  const g = new TorchGraph(21);
  let x = g.op('/conv1/Conv', 'Conv', ['input.1', g.weight('conv1.weight', [4, 2, 3, 3]), g.weight('conv1.bias', [4], 0.1)], { dilations: [1, 1], group: 1, kernel_shape: [3, 3], pads: [1, 1, 1, 1], strides: [1, 1] });
  x = g.bn('bn1', x, 4);
  x = g.op('/act1/Relu', 'Relu', [x]);
  x = g.op('/pool1/MaxPool', 'MaxPool', [x], { ceil_mode: 0, dilations: [1, 1], kernel_shape: [2, 2], pads: [0, 0, 0, 0], strides: [2, 2] });
  x = g.op('/conv2/Conv', 'Conv', [x, g.weight('conv2.weight', [6, 4, 3, 3], 0.3), g.weight('conv2.bias', [6], 0.1)], { dilations: [1, 1], group: 1, kernel_shape: [3, 3], pads: [0, 0, 0, 0], strides: [1, 1] });
  x = g.op('/act2/Clip', 'Clip', [x, g.constant('/act2/Constant_output_0', [], [0]), g.constant('/act2/Constant_1_output_0', [], [6])]);
  x = g.op('/drop/Dropout', 'Dropout', [x, g.constant('/drop/Constant_output_0', [], [0.25])]);
  x = g.op('/Reshape', 'Reshape', [x, g.constant('/Constant_output_0', [2], [1, -1], DataType.INT64)]);
  x = g.op('/fc1/Gemm', 'Gemm', [x, g.weight('fc1.weight', [5, 24], 0.3), g.weight('fc1.bias', [5], 0.1)], { alpha: { f: 1 }, beta: { f: 1 }, transB: 1 });
  x = g.op('/act3/Relu', 'Relu', [x]);
  g.op('/fc2/Gemm', 'Gemm', [x, g.weight('fc2.weight', [3, 5], 0.5), g.weight('fc2.bias', [3], 0.1)], { alpha: { f: 1 }, beta: { f: 1 }, transB: 1 });
  return g.model('main_graph', { name: 'input.1', dims: [1, 2, 8, 8] }, '29', 3, 13);
}

/** A 1-D residual block (Conv1d without bias → BatchNorm1d → ReLU → Conv1d → BatchNorm1d, 1×1 shortcut,
 * Add, ReLU), AdaptiveAvgPool1d(1), flatten, Linear; a symbolic batch (dynamic_axes) and opset 17. */
export function torchResnet1d(): OnnxModel {
  const g = new TorchGraph(22);
  const stem = g.op('/stem/Conv', 'Conv', ['x', g.weight('stem.weight', [4, 3, 3])], { dilations: [1], group: 1, kernel_shape: [3], pads: [1, 1], strides: [1] });
  let x = g.bn('bn0', stem, 4);
  const block = g.op('/act0/Relu', 'Relu', [x]);
  x = g.op('/b/conv1/Conv', 'Conv', [block, g.weight('b.conv1.weight', [6, 4, 3])], { dilations: [1], group: 1, kernel_shape: [3], pads: [1, 1], strides: [1] });
  x = g.bn('b/bn1', x, 6);
  x = g.op('/b/relu/Relu', 'Relu', [x]);
  x = g.op('/b/conv2/Conv', 'Conv', [x, g.weight('b.conv2.weight', [6, 6, 3], 0.3)], { dilations: [1], group: 1, kernel_shape: [3], pads: [1, 1], strides: [1] });
  x = g.bn('b/bn2', x, 6);
  const shortcut = g.op('/b/shortcut/Conv', 'Conv', [block, g.weight('b.shortcut.weight', [6, 4, 1]), g.weight('b.shortcut.bias', [6], 0.1)], { dilations: [1], group: 1, kernel_shape: [1], pads: [0, 0], strides: [1] });
  x = g.op('/b/Add', 'Add', [x, shortcut]);
  x = g.op('/b/relu_1/Relu', 'Relu', [x]);
  x = g.op('/pool/GlobalAveragePool', 'GlobalAveragePool', [x]);
  x = g.op('/Flatten', 'Flatten', [x], { axis: 1 });
  x = g.op('/Identity', 'Identity', [x]);
  g.op('/fc/Gemm', 'Gemm', [x, g.weight('fc.weight', [4, 6], 0.5), g.weight('fc.bias', [4], 0.1)], { alpha: { f: 1 }, beta: { f: 1 }, transB: 1 });
  return g.model('torch_jit', { name: 'x', dims: ['batch_size', 3, 16] }, 'logits', 4, 17);
}

/** For the built-in digits (the app's e2e fixture, e2e/samples/digits-torch.onnx): nn.Sequential(Conv2d(1,4,3,
 * padding=1), BatchNorm2d, ReLU, MaxPool2d(2), Conv2d(4,8,3,padding=1), ReLU, MaxPool2d(2), flatten,
 * Linear(32, 10)) on [batch, 1, 8, 8], a symbolic batch, opset 17. Untrained: its weights are seeded. */
export function torchDigitsCnn(): OnnxModel {
  const g = new TorchGraph(23);
  let x = g.op('/conv1/Conv', 'Conv', ['input', g.weight('conv1.weight', [4, 1, 3, 3]), g.weight('conv1.bias', [4], 0.1)], { dilations: [1, 1], group: 1, kernel_shape: [3, 3], pads: [1, 1, 1, 1], strides: [1, 1] });
  x = g.bn('bn1', x, 4);
  x = g.op('/relu1/Relu', 'Relu', [x]);
  x = g.op('/pool1/MaxPool', 'MaxPool', [x], { ceil_mode: 0, dilations: [1, 1], kernel_shape: [2, 2], pads: [0, 0, 0, 0], strides: [2, 2] });
  x = g.op('/conv2/Conv', 'Conv', [x, g.weight('conv2.weight', [8, 4, 3, 3], 0.3), g.weight('conv2.bias', [8], 0.1)], { dilations: [1, 1], group: 1, kernel_shape: [3, 3], pads: [1, 1, 1, 1], strides: [1, 1] });
  x = g.op('/relu2/Relu', 'Relu', [x]);
  x = g.op('/pool2/MaxPool', 'MaxPool', [x], { ceil_mode: 0, dilations: [1, 1], kernel_shape: [2, 2], pads: [0, 0, 0, 0], strides: [2, 2] });
  x = g.op('/Flatten', 'Flatten', [x], { axis: 1 });
  g.op('/fc/Gemm', 'Gemm', [x, g.weight('fc.weight', [10, 32], 0.3), g.weight('fc.bias', [10], 0.1)], { alpha: { f: 1 }, beta: { f: 1 }, transB: 1 });
  return g.model('main_graph', { name: 'input', dims: ['batch_size', 1, 8, 8] }, 'logits', 10, 17);
}

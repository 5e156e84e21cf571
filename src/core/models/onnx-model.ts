import { ConfigError } from '../base/errors';
import { type Infer, list, optional, string, table } from '../base/schema';
import { shapeText } from '../layers/shared/geometry';
import type { ModelKind } from './builder';
import { importOnnx } from './onnx/import';
import { shapeDimension } from './size-params';

const params = table({
  path: string(),
  input_shape: optional(list(shapeDimension())),
  output_shape: optional(list(shapeDimension())),
});

/**
 * Mote's own [[model]] kind: a model trained elsewhere (Qualia on PyTorch, any torch.onnx.export) read from
 * an .onnx file in the workspace. Its layers, shapes and float weights come from the file; the dataset must
 * give the input it takes and the classes it outputs. Set `train = false` to keep the weights as they are.
 */
export const onnxModel: ModelKind<Infer<typeof params>> = {
  kind: 'ONNX',
  summary: 'a model read from an .onnx file (params.path, relative to the workspace): its layers and float weights, channels-first converted to channels_last',
  params,
  files: (p) => [p.path],
  build(p, inputShape, outputClasses, name, options = {}) {
    const bytes = options.files?.[p.path];
    if (!bytes) throw new ConfigError(`model '${name}' (ONNX): ${p.path} was not read; pass it in options.files`);
    const graph = importOnnx(bytes, { name, source: p.path });
    const wanted = p.input_shape ?? inputShape;
    if (shapeText(graph.shapes.input) !== shapeText(wanted)) {
      throw new ConfigError(`model '${name}' (ONNX): ${p.path} takes input ${shapeText(graph.shapes.input)} (channels_last; ONNX's channels-first [N, ${[...graph.shapes.input.slice(-1), ...graph.shapes.input.slice(0, -1)].join(', ')}]) but the dataset gives ${shapeText(wanted)}; use the dataset the model was trained on or set params.input_shape`);
    }
    const output = graph.shapes[graph.layers[graph.layers.length - 1].name];
    const classes = p.output_shape?.[0] ?? outputClasses;
    if (output.length !== 1 || output[0] !== classes) {
      throw new ConfigError(`model '${name}' (ONNX): ${p.path} outputs ${shapeText(output)} but the dataset has ${classes} classes`);
    }
    return graph;
  },
};

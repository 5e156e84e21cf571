import { ConfigError } from '../base/errors';
import { type Infer, integer, list, optional, table } from '../base/schema';
import { GraphBuilder, type ModelKind, resolveShapes } from './builder';
import { sizeOf } from './shapes';
import { channelCount, shapeDimension } from './size-params';

const params = table({
  units: list(channelCount()),
  input_shape: optional(list(shapeDimension())),
  output_shape: optional(list(shapeDimension())),
});

/** Qualia's `MLP(units)`: Flatten → (Linear → ReLU) per entry of `units` → Linear. */
export const mlp: ModelKind<Infer<typeof params>> = {
  kind: 'MLP',
  summary: 'Multilayer perceptron: Flatten, then Linear+ReLU per entry of units, then a Linear classifier',
  params,
  build(p, inputShape, outputClasses, name, options = {}) {
    const { input, classes } = resolveShapes(p, inputShape, outputClasses);
    // Qualia sizes the last Linear from units[-1] only when there are two or more hidden layers, so a
    // single hidden layer only builds when it has as many units as the flattened input.
    if (p.units.length === 1 && p.units[0] !== sizeOf(input)) {
      throw new ConfigError(`model '${name}' (MLP): with a single entry in units, Qualia's MLP sizes its last layer from the flattened input (${sizeOf(input)}) instead of units[0] (${p.units[0]}), so the model cannot be built; use two or more hidden layers or units = [${sizeOf(input)}]`);
    }
    const g = new GraphBuilder(name, input, options.rng);
    g.flatten('flatten1');
    p.units.forEach((units, i) => {
      g.dense(`fc${i + 1}`, units);
      g.relu(`relu${i + 1}`);
    });
    g.dense(`fc${p.units.length + 1}`, classes);
    return g.finish();
  },
};

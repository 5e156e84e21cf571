import type { LayerDefinition } from '../definition';
import type { InputLayer } from './layer';
import { inputShape } from './shape';

/** Only a shape rule: every other stage feeds the graph input from outside (see isInputLayer). */
export const inputDefinition: LayerDefinition<InputLayer> = {
  kind: 'Input',
  summary: 'the model input, channels_last without the batch dim ([steps, channels], [h, w, channels] or [features])',
  shape: inputShape,
};

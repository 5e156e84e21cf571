import type { KindInfo } from '../base/kinds';
import { keras } from './keras';
import { pytorch } from './pytorch';

/** Every [learningframework] kind Mote supports, keyed by Qualia's kind name; one line per kind file. */
export const learningFrameworkKinds = {
  PyTorch: pytorch,
  Keras: keras,
} satisfies Record<string, KindInfo<any>>;

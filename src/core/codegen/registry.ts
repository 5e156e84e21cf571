import type { KindInfo } from '../base/kinds';
import { qualiaCodeGen } from './qualia-codegen';

/** Every [deploy.converter] kind Mote supports, keyed by Qualia's kind name; one line per kind file. */
export const converterKinds = {
  QualiaCodeGen: qualiaCodeGen,
} satisfies Record<string, KindInfo<any>>;

import type { KindInfo } from '../base/kinds';
import { moteRuntime } from './mote-runtime';
import { qualiaCodeGen } from './qualia-codegen';

/** Every [deploy.converter] kind Mote supports, keyed by Qualia's kind name; one line per kind file. */
export const converterKinds = {
  QualiaCodeGen: qualiaCodeGen,
  MoteRuntime: moteRuntime,
} satisfies Record<string, KindInfo<any>>;

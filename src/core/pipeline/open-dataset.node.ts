// The CLI's way from an experiment's [dataset] table to a FileSource: `params.path` relative to the working
// directory (as Qualia resolves it), nothing for kinds that carry their data.

import { resolve } from 'node:path';
import { ConfigError } from '../base/errors';
import type { FileSource } from '../data/source';
import { openNodePath } from '../data/source.node';
import { datasetNeedsFiles } from './prepare-data';
import type { KindSpec } from './prepare-data';

export async function openDatasetSource(dataset: KindSpec, cwd = process.cwd()): Promise<FileSource | undefined> {
  if (!datasetNeedsFiles(dataset.kind)) return undefined;
  const path = dataset.params?.path;
  if (typeof path !== 'string' || path === '') throw new ConfigError(`dataset.params.path: dataset kind ${dataset.kind} reads files; set params.path to the downloaded archive or its extracted folder`);
  return openNodePath(resolve(cwd, path));
}

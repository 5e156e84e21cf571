// Node adapter of the loader: reads the experiment from disk and resolves `includes` the way Qualia does —
// each include_search_paths entry, then ./conf, relative to the working directory (absolute names as is).

import { existsSync, readFileSync, statSync } from 'node:fs';
import { isAbsolute, relative, resolve } from 'node:path';
import type { Catalog } from '../catalog';
import { loadExperiment, type IncludedFile, type LoadResult } from './load';

export interface LoadFileOptions {
  catalog?: Catalog;
  /** Directory that relative search paths (and ./conf) are taken from; defaults to process.cwd(). */
  cwd?: string;
}

export function loadExperimentFile(path: string, overrides: string[] = [], options: LoadFileOptions = {}): LoadResult {
  const cwd = options.cwd ?? process.cwd();
  let text: string;
  try {
    text = readFileSync(resolve(cwd, path), 'utf8');
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message;
    return { diagnostics: [{ file: path, line: 1, column: 1, path: '', severity: 'error', message: `cannot read the experiment: ${reason}` }] };
  }
  return loadExperiment(text, {
    file: path,
    overrides,
    catalog: options.catalog,
    resolveInclude: (name, _fromFile, searchPaths) => findInclude(name, searchPaths, cwd),
  });
}

export function findInclude(name: string, searchPaths: string[], cwd: string): IncludedFile | undefined {
  const candidates = isAbsolute(name) ? [name] : [...searchPaths, 'conf'].map((dir) => resolve(cwd, dir, name));
  for (const candidate of candidates) {
    if (!existsSync(candidate) || !statSync(candidate).isFile()) continue;
    const shown = relative(cwd, candidate);
    return { file: shown.startsWith('..') ? candidate : shown, text: readFileSync(candidate, 'utf8') };
  }
  return undefined;
}

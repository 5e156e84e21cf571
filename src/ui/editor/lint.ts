// Problems in an experiment's text: TOML syntax first (smol-toml, always available), then the config
// loader's schema diagnostics (file, line, column, key path) once that module exists.
import { TomlError, parse } from 'smol-toml';
import { optionalModules, type Diagnostic } from '../state/optional-modules';

export interface LintResult {
  diagnostics: Diagnostic[];
  /** False when only the TOML syntax could be checked (the config loader is not available yet). */
  schemaChecked: boolean;
  experiment?: unknown;
}

export async function lintExperiment(text: string, file: string): Promise<LintResult> {
  try {
    parse(text);
  } catch (error) {
    if (error instanceof TomlError) {
      const message = error.message.split('\n')[0].replace(/^Invalid TOML document: /, '');
      return { schemaChecked: false, diagnostics: [{ file, line: error.line, column: error.column, path: '', severity: 'error', message: `TOML syntax: ${message}` }] };
    }
    throw error;
  }
  const loader = await optionalModules.configLoad();
  if (!loader) return { schemaChecked: false, diagnostics: [] };
  const { experiment, diagnostics } = loader.loadExperiment(text, { file });
  return { schemaChecked: true, diagnostics, experiment };
}

export function experimentNameOf(text: string, fallback: string): string {
  try {
    const bench = (parse(text) as { bench?: { name?: unknown } }).bench;
    if (typeof bench?.name === 'string' && bench.name.trim()) return bench.name.trim().slice(0, 120);
  } catch { /* the name is cosmetic; a broken text keeps the previous one */ }
  return fallback;
}

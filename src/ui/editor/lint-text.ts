// The problems of an experiment's text, worked out in one call: TOML syntax first (smol-toml's message, at its
// line and column), then the config loader's schema diagnostics (file, line, column, key path). Runs in the
// lint worker (lint.worker.ts) so a large text never blocks typing; pure, so it runs in Node tests too.
import { TomlError, parse } from 'smol-toml';
import { loadExperiment, type Diagnostic } from '../../core/config/load';
import type { Experiment } from '../../core/config/experiment';
import { benchName } from './bench-name';

export type { Diagnostic };

export interface LintResult {
  diagnostics: Diagnostic[];
  /** The validated experiment when the text has no errors (and it was asked for). */
  experiment?: Experiment;
  /** `[bench] name` when the text is TOML and has one (what people call the experiment). */
  name?: string;
  /** Always true now that the config loader exists; read by the runner until its rewiring drops it. */
  schemaChecked: true;
}

/**
 * `withExperiment: false` leaves the validated experiment out of the result: the editor only shows the
 * problems, and copying a large experiment back from the worker costs the page time for nothing.
 */
export function lintText(text: string, file: string, withExperiment = true): LintResult {
  let parsed: unknown;
  try {
    parsed = parse(text);
  } catch (error) {
    if (error instanceof TomlError) {
      const message = error.message.split('\n')[0].replace(/^Invalid TOML document: /, '');
      return { schemaChecked: true, diagnostics: [{ file, line: error.line, column: error.column, path: '', severity: 'error', message: `TOML syntax: ${message}` }] };
    }
    throw error;
  }
  const { experiment, diagnostics } = loadExperiment(text, { file });
  return withExperiment ? { schemaChecked: true, diagnostics, experiment, name: benchName(parsed) } : { schemaChecked: true, diagnostics, name: benchName(parsed) };
}


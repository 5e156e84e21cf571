// Problems in an experiment's text, from the lint worker. Requests are coalesced: while one text is being
// checked, only the newest waiting text is checked next (typing in a 400 KB experiment does not queue a
// copy of it per keystroke); a superseded request resolves with the result of the text that replaced it.
import * as Comlink from 'comlink';
import { parse } from 'smol-toml';
import type { LintWorkerApi } from '../../workers/lint.worker';
import type { LintResult } from './lint-text';
import { benchName } from './bench-name';

export type { Diagnostic, LintResult } from './lint-text';

let remote: Comlink.Remote<LintWorkerApi> | undefined;
function worker(): Comlink.Remote<LintWorkerApi> {
  if (!remote) remote = Comlink.wrap<LintWorkerApi>(new Worker(new URL('../../workers/lint.worker.ts', import.meta.url), { type: 'module', name: 'mote-lint' }));
  return remote;
}

interface Waiting { text: string; file: string; withExperiment: boolean; callers: ((result: Promise<LintResult>) => void)[] }
let busy = false;
let waiting: Waiting | undefined;

/** The problems of `text`; the validated experiment too unless `withExperiment` is false (the editor's checks). */
export function lintExperiment(text: string, file: string, withExperiment = true): Promise<LintResult> {
  return new Promise((resolve) => {
    if (waiting) { waiting.text = text; waiting.file = file; waiting.withExperiment ||= withExperiment; waiting.callers.push(resolve); }
    else waiting = { text, file, withExperiment, callers: [resolve] };
    void drain();
  });
}

async function drain(): Promise<void> {
  if (busy) return;
  busy = true;
  try {
    while (waiting) {
      const { text, file, withExperiment, callers } = waiting;
      waiting = undefined;
      const result = worker().lint(text, file, withExperiment);
      for (const resolve of callers) resolve(result);
      await result.catch(() => undefined);
    }
  } finally {
    busy = false;
  }
}

export function experimentNameOf(text: string, fallback: string): string {
  try {
    return benchName(parse(text)) ?? fallback;
  } catch {
    return fallback; // the name is cosmetic; a broken text keeps the previous one
  }
}

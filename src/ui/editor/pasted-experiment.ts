// Recognises a paste that is a whole experiment of its own (another `[bench] name`) laid over the whole open
// text, so the editor can ask whether to open it as a new experiment instead of silently replacing the open
// one. A regular expression, not a TOML parse: it runs on the main thread at paste time, on up to megabytes.

const BENCH_TABLE = /^[ \t]*\[[ \t]*bench[ \t]*\][ \t]*(?:#.*)?$/m;
const NEXT_TABLE = /^[ \t]*\[/m;
const NAME_KEY = /^[ \t]*name[ \t]*=[ \t]*(?:"([^"\n]*)"|'([^'\n]*)')/m;
const DOTTED_NAME = /^[ \t]*bench[ \t]*\.[ \t]*name[ \t]*=[ \t]*(?:"([^"\n]*)"|'([^'\n]*)')/m;

/** `[bench] name` of a pasted text when it reads as an experiment (a [bench] table with a name), else undefined. */
export function pastedExperimentName(text: string): string | undefined {
  const table = BENCH_TABLE.exec(text);
  if (table) {
    const rest = text.slice(table.index + table[0].length);
    const end = NEXT_TABLE.exec(rest);
    const body = end ? rest.slice(0, end.index) : rest;
    const name = NAME_KEY.exec(body);
    if (name) return (name[1] ?? name[2]).trim() || undefined;
  }
  const dotted = DOTTED_NAME.exec(text);
  return dotted ? (dotted[1] ?? dotted[2]).trim() || undefined : undefined;
}

/**
 * Whether a paste should be asked about: it covers the whole (non-empty) open text and is an experiment with
 * another name. Pasting a newer version of the same experiment, or part of one, is ordinary editing.
 */
export function isReplacingExperiment(paste: { text: string; from: number; to: number; docLength: number }, openName: string): string | undefined {
  if (paste.docLength === 0 || paste.from > 0 || paste.to < paste.docLength) return undefined;
  const name = pastedExperimentName(paste.text);
  return name !== undefined && name !== openName ? name : undefined;
}

// Compiler messages go back to whoever submitted the sources, so they may quote only those sources. gcc
// quotes the file a diagnostic is about (the message itself names its tokens, then the line and a caret),
// and a hostile source can `#include` any file the compiler can read: inside the sandbox that is only the
// read-only system, but even those lines are not the sender's to read. A diagnostic about a file that is not
// part of the build keeps its path and line number (so the sender sees where) and loses its text.

/** gcc/as: `path:line:col: severity: message` or `path:line: Error: message`. */
const DIAGNOSTIC = /^([^\s:][^:]*):(\d+)(?::\d+)?: /;
/** `path: In function 'f':`, `path: At top level:` — the function name comes from the file. */
const CONTEXT = /^([^\s:][^:]*): (?:In |At top level)/;
/** The quoted source line and the caret line under it (`   12 | text`, `      |   ^~~`). */
const EXCERPT = /^\s*\d*\s+\|/;
/** Assembler input the compiler wrote from the submitted sources into the sandbox's private /tmp. */
const INTERMEDIATE = /^\/tmp\/cc[A-Za-z0-9]+\.s$/;

export function redactForeignDiagnostics(log: string, buildFiles: Iterable<string>): string {
  const own = new Set(buildFiles);
  const isOwn = (path: string) => own.has(path) || own.has(path.replace(/^\.\//, '')) || INTERMEDIATE.test(path);
  let showingExcerpt = true;
  const out: string[] = [];
  for (const line of log.split('\n')) {
    const diagnostic = DIAGNOSTIC.exec(line);
    if (diagnostic) {
      showingExcerpt = isOwn(diagnostic[1]);
      out.push(showingExcerpt ? line : `${diagnostic[1]}:${diagnostic[2]}: (message not shown: this file is not one of the submitted sources)`);
      continue;
    }
    const context = CONTEXT.exec(line);
    if (context) {
      showingExcerpt = isOwn(context[1]);
      out.push(showingExcerpt ? line : `${context[1]}: (not one of the submitted sources)`);
      continue;
    }
    if (EXCERPT.test(line)) {
      if (showingExcerpt) out.push(line);
      continue;
    }
    out.push(line);
  }
  return out.join('\n');
}

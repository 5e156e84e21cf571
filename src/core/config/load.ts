// Loads a Qualia experiment the way Qualia does (qualia_core/utils/config.py load_config): parse the TOML,
// apply command-line overrides (they win; lists merged Qualia-style), merge `includes` (the file wins), merge
// [model_template] into every [[model]] (the model wins, lists replaced), then validate — but instead of
// Qualia's "Could not load configuration." it reports every problem with file:line:column, key path, what was
// expected and a "did you mean". Stale upstream idioms are accepted with a warning (stale.ts).

import { parse as parseToml, TomlError } from 'smol-toml';
import { defaultCatalog, type Catalog } from '../catalog';
import type { Experiment } from './experiment';
import { locateKeys, type KeyLocator, type Position } from './locator';
import { mergeDict, type MergeContext, type MergeProblem, type Table } from './merge';
import { joinSegments, Origins, splitPath } from './origins';
import { MAX_NESTING, nestingDepth } from './nesting';
import { overridesToTable, parseOverride, type Override } from './overrides';
import { isTable, joinPath, type Issue, type Severity } from '../base/schema';
import { applyStaleFixes } from './stale';
import { validateExperiment } from './validate';

export { unsupportedKinds, type Stage } from './unsupported';

export interface Diagnostic {
  file: string;
  line: number;
  column: number;
  /** Key path as the user reads it (`model[0].params.filters`); empty for the whole file. */
  path: string;
  message: string;
  severity: Severity;
}

export interface IncludedFile {
  file: string;
  text: string;
}

export interface LoadOptions {
  /** Name used in diagnostics (and as `fromFile` for includes). */
  file?: string;
  /** Qualia-style `--a.b.c=VALUE` arguments. */
  overrides?: string[];
  /** Finds an `includes` entry; the Node adapter searches include_search_paths then ./conf on disk. */
  resolveInclude?: (name: string, fromFile: string, searchPaths: string[]) => IncludedFile | undefined;
  catalog?: Catalog;
}

export interface LoadResult {
  /** Present if and only if no diagnostic is an error. */
  experiment?: Experiment;
  diagnostics: Diagnostic[];
}

export const COMMAND_LINE = '<command line>';
const MAX_INCLUDES = 64;

export function formatDiagnostic(d: Diagnostic): string {
  return `${d.file}:${d.line}:${d.column}: ${d.severity}: ${d.path ? `${d.path}: ` : ''}${d.message}`;
}

interface Source {
  file: string;
  find(path: string): Position | undefined;
}

export function loadExperiment(text: string, options: LoadOptions = {}): LoadResult {
  return new Loader(options).load(text);
}

class Loader {
  private readonly sources: Source[] = [];
  private readonly origins = new Origins();
  private readonly diagnostics: Diagnostic[] = [];
  private readonly file: string;

  constructor(private readonly options: LoadOptions) {
    this.file = options.file ?? '<input>';
  }

  load(text: string): LoadResult {
    const main = this.parseSource(text, this.file);
    if (!main) return this.result();
    if (!Object.hasOwn(main, 'bench') && !Object.hasOwn(main, 'model') && !Object.hasOwn(main, 'includes')) {
      this.diagnostics.push({ file: this.file, line: 1, column: 1, path: '', severity: 'error', message: notAnExperiment(main) });
      return this.result();
    }

    let config = this.applyOverrides(main);
    config = this.applyIncludes(config);
    config = this.applyTemplate(config);
    applyStaleFixes(config, (issue) => this.report(issue, config));
    const experiment = validateExperiment(config, this.options.catalog ?? defaultCatalog(), (issue) => this.report(issue, config));
    return this.result(experiment);
  }

  private result(experiment?: Experiment): LoadResult {
    const order = (d: Diagnostic) => { const i = this.sources.findIndex((s) => s.file === d.file); return i < 0 ? this.sources.length : i; };
    const diagnostics = dedupe(this.diagnostics)
      .map((d, index) => ({ d, index }))
      .sort((a, b) => order(a.d) - order(b.d) || a.d.line - b.d.line || a.d.column - b.d.column || a.index - b.index)
      .map(({ d }) => d);
    const failed = diagnostics.some((d) => d.severity === 'error');
    return failed || !experiment ? { diagnostics } : { experiment, diagnostics };
  }

  /** Parses one TOML text and registers it as a source; a syntax error becomes a diagnostic. */
  private parseSource(text: string, file: string): Table | undefined {
    let parsed: unknown;
    try {
      // smol-toml caps inline arrays and tables itself (maxDepth); dotted keys and headers are checked below.
      parsed = parseToml(text, { maxDepth: MAX_NESTING, unsafeKeyBehaviour: 'throw' });
    } catch (error) {
      if (!(error instanceof TomlError)) throw error;
      const message = error.message.replace(/^Invalid TOML document: /, '').split('\n')[0]
        .replace(/^document contains excessively nested structures\. aborting\.$/, `lists or inline tables nest more than ${MAX_NESTING} levels deep; an experiment needs a few`);
      this.diagnostics.push({ file, line: Math.max(1, error.line), column: Math.max(1, error.column), path: '', severity: 'error', message: `invalid TOML: ${message}` });
      return undefined;
    }
    const depth = nestingDepth(parsed);
    if (depth > MAX_NESTING) {
      const line = deepestKeyLine(text);
      this.diagnostics.push({ file, line, column: 1, path: '', severity: 'error', message: `keys nest more than ${MAX_NESTING} levels deep; an experiment needs a few (e.g. model.params.quant_params.bits): check for a runaway dotted key or table header on this line` });
      return undefined;
    }
    // smol-toml builds null-prototype objects; consumers of the experiment expect ordinary ones.
    const table = plainCopy(parsed) as Table;
    // Positions are only needed for diagnostics: a text without problems is never scanned for them.
    let locator: KeyLocator | undefined;
    const source = this.sources.push({ file, find: (path) => (locator ??= locateKeys(text)).find(path) }) - 1;
    this.origins.tagTree(table, source, '');
    return table;
  }

  private applyOverrides(config: Table): Table {
    const args = this.options.overrides ?? [];
    if (args.length === 0) return config;
    const positions = new Map<string, Position>();
    const source = this.sources.push({ file: COMMAND_LINE, find: (path) => positions.get(path) }) - 1;
    const overrides: Override[] = [];
    args.forEach((arg, index) => {
      const parsed = parseOverride(arg);
      if (!parsed.ok) {
        this.diagnostics.push({ file: COMMAND_LINE, line: index + 1, column: 1, path: '', severity: 'error', message: parsed.message });
        return;
      }
      overrides.push(parsed.override);
      // Integer components may index a list (`model[0]`) or name a table key (`"0"`); register both.
      // Every prefix too: a problem with `model[5]` comes from `--model.5.epochs`.
      for (let n = 1; n <= parsed.override.path.length; n++) {
        const prefix = parsed.override.path.slice(0, n);
        for (const path of [joinSegments(prefix), joinSegments(prefix.map((part) => (/^\d+$/.test(part) ? Number(part) : part)))]) {
          if (n === parsed.override.path.length || !positions.has(path)) positions.set(path, { line: index + 1, column: 3 });
        }
      }
    });
    const { table, problems } = overridesToTable(overrides);
    for (const problem of problems) {
      const arg = args.indexOf(overrides[problem.index].text);
      this.diagnostics.push({ file: COMMAND_LINE, line: arg + 1, column: 3, path: '', severity: 'warning', message: problem.message });
    }
    this.origins.tagTree(table, source, '');
    const extended: NonNullable<MergeContext['extendedLists']> = [];
    const merged = this.merge(table, config, true, 'the experiment file', '', extended);
    for (const { path, winner, result } of extended) {
      this.report({ path, severity: 'warning', message: `Qualia merges override lists with the file's: ${JSON.stringify(winner)} became ${JSON.stringify(result)} (elements of the file's list that the override lacks are appended)` }, merged);
    }
    return merged;
  }

  private applyIncludes(config: Table): Table {
    const queue: { name: unknown; from: number; path: string }[] = [];
    const enqueue = (table: Table, from: number) => {
      const list = table.includes;
      if (Array.isArray(list)) list.forEach((name, i) => queue.push({ name, from, path: joinPath('includes', i) }));
    };
    // Names written on the command line or in the file both live in config.includes now.
    const listed = config.includes;
    if (Array.isArray(listed)) {
      listed.forEach((name, i) => {
        const origin = this.origins.get(listed)[0];
        queue.push({ name, from: origin?.source ?? 0, path: joinPath('includes', i) });
      });
    }
    const searchPaths = Array.isArray(config.include_search_paths) ? config.include_search_paths.filter((p): p is string => typeof p === 'string') : [];
    const seen = new Set<string>();
    let count = 0;
    while (queue.length > 0) {
      const { name, from, path } = queue.shift()!;
      if (typeof name !== 'string') continue; // validation reports the wrong type
      const fromFile = this.sources[from]?.file ?? this.file;
      const at = (severity: Severity, message: string) => this.reportIn(from, { path, severity, message });
      if (!this.options.resolveInclude) {
        at('error', `cannot read include '${name}' here (no file access); paste its settings into this experiment or load it with the mote CLI`);
        continue;
      }
      let found: IncludedFile | undefined;
      try {
        found = this.options.resolveInclude(name, fromFile, searchPaths);
      } catch (error) {
        at('error', `cannot read include '${name}': ${(error as Error).message}`);
        continue;
      }
      if (!found) {
        at('error', `include '${name}' not found; searched ${[...searchPaths, 'conf'].map((p) => `'${p}'`).join(', ')}`);
        continue;
      }
      if (seen.has(found.file)) {
        at('warning', `'${found.file}' is included more than once; later inclusions add nothing and are skipped`);
        continue;
      }
      if (++count > MAX_INCLUDES) {
        at('error', `more than ${MAX_INCLUDES} included files; is there an include cycle?`);
        break;
      }
      seen.add(found.file);
      const included = this.parseSource(found.text, found.file);
      if (!included) continue;
      enqueue(included, this.sources.length - 1);
      config = this.merge(config, included, true, `the included file ${found.file}`);
    }
    return config;
  }

  private applyTemplate(config: Table): Table {
    const template = config.model_template;
    const models = config.model;
    if (!isTable(template) || !Array.isArray(models)) return config;
    const problems: MergeProblem[] = [];
    const merged = models.map((model, index) => (isTable(model)
      ? mergeDict(model, template, joinPath('model', index), { mergeLists: false, origins: this.origins, problems, fillerName: '[model_template]' })
      : model));
    this.origins.set(merged, this.origins.get(models));
    config.model = merged;
    for (const problem of problems) this.report({ path: problem.path, severity: 'error', message: problem.message }, config);
    return config;
  }

  private merge(winner: Table, filler: Table, mergeLists: boolean, fillerName: string, path = '', extendedLists?: MergeContext['extendedLists']): Table {
    const problems: MergeProblem[] = [];
    const result = mergeDict(winner, filler, path, { mergeLists, origins: this.origins, problems, fillerName, extendedLists });
    for (const problem of problems) this.report({ path: problem.path, severity: 'error', message: problem.message }, result);
    return result;
  }

  /** Adds a diagnostic for `issue`, positioned at the key that wrote the value at issue.path in `tree`. */
  private report(issue: Issue, tree: Table): void {
    const found = this.locate(issue.path, tree);
    this.diagnostics.push({ ...found, path: issue.path, message: issue.message, severity: issue.severity });
  }

  /** A diagnostic about a key of one particular source (an `includes` entry). */
  private reportIn(source: number, issue: Issue): void {
    const segments = splitPath(issue.path);
    const src = this.sources[source] ?? this.sources[0];
    for (let n = segments.length; n >= 0; n--) {
      const position = src.find(joinSegments(segments.slice(0, n)));
      if (position) {
        this.diagnostics.push({ file: src.file, ...position, path: issue.path, message: issue.message, severity: issue.severity });
        return;
      }
    }
    this.diagnostics.push({ file: src.file, line: 1, column: 1, path: issue.path, message: issue.message, severity: issue.severity });
  }

  /**
   * Walks `path` down the assembled tree, remembering the origins of each table/list passed; then looks
   * for the rest of the path in those origins, deepest first: first the exact key, then its nearest
   * written ancestor (a missing key points at its table, a [[model]] at its header).
   */
  private locate(path: string, tree: Table): { file: string; line: number; column: number } {
    const segments = splitPath(path);
    const levels: { depth: number; origins: ReturnType<Origins['get']> }[] = [{ depth: 0, origins: this.origins.get(tree) }];
    let node: unknown = tree;
    for (const [depth, segment] of segments.entries()) {
      if (Array.isArray(node) && typeof segment === 'number') node = node[segment];
      else if (isTable(node) && typeof segment === 'string' && Object.hasOwn(node, segment)) node = node[segment];
      else break;
      const origins = this.origins.get(node);
      if (origins.length > 0) levels.push({ depth: depth + 1, origins });
    }
    levels.reverse();
    const find = (level: (typeof levels)[number], end: number) => {
      for (const origin of level.origins) {
        const source = this.sources[origin.source];
        const position = source?.find(joinSegments(segments.slice(level.depth, end), origin.path));
        if (source && position) return { file: source.file, ...position };
      }
      return undefined;
    };
    for (const level of levels) {
      const exact = find(level, segments.length);
      if (exact) return exact;
    }
    for (const level of levels) {
      for (let end = segments.length - 1; end >= level.depth; end--) {
        const ancestor = find(level, end);
        if (ancestor) return ancestor;
      }
    }
    return { file: this.sources[0]?.file ?? this.file, line: 1, column: 1 };
  }
}

/** The line whose key or table header has the most dotted parts (where a too-deep document goes deep). */
function deepestKeyLine(text: string): number {
  let best = { line: 1, parts: 0 };
  text.split('\n').forEach((lineText, index) => {
    const key = /^\s*(\[{1,2}[^\]]*|[^=#"']*=)/.exec(lineText)?.[1] ?? '';
    const parts = key.split('.').length;
    if (parts > best.parts) best = { line: index + 1, parts };
  });
  return best.line;
}

/** Ordinary objects instead of smol-toml's null-prototype ones (depth already capped by MAX_NESTING). */
function plainCopy(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(plainCopy);
  if (isTable(value)) {
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) out[key] = plainCopy(item);
    return out;
  }
  return value;
}

/**
 * One problem written once is reported once: a [model_template] value inherited by several models gives one
 * diagnostic (the template's), and a merge conflict is not repeated by the schema's "expected a table".
 */
function dedupe(diagnostics: Diagnostic[]): Diagnostic[] {
  const seen = new Set<string>();
  const modelPath = (path: string) => path.replace(/^(model\[\d+\]|model_template)(?=\.|$)/, 'model*');
  return diagnostics.filter((d) => {
    const where = `${d.file}:${d.line}:${d.column}:${d.severity}`;
    const keys = [`${where}:${modelPath(d.path)}:${d.message.replace(/; expected one of: .*$/, '')}`];
    if (/^expected an? (table|list)\b/.test(d.message)) keys.push(`${where}:${d.path}:expected-type`);
    if (keys.some((key) => seen.has(key))) return false;
    keys.forEach((key) => seen.add(key));
    return true;
  });
}

/** Describes a TOML file that has neither [bench] nor [[model]] (e.g. a Torch2Keras layer-name mapping). */
function notAnExperiment(table: Table): string {
  const keys = Object.keys(table);
  const shown = keys.slice(0, 6).join(', ') + (keys.length > 6 ? ', …' : '');
  const allStrings = (value: unknown): boolean => typeof value === 'string' || (isTable(value) && Object.values(value).every(allStrings));
  let looksLike = '';
  if (keys.length === 0) looksLike = 'the file is empty';
  else if (keys.every((k) => allStrings(table[k]))) looksLike = `it maps names to names (keys ${shown}), like a Torch2Keras layer-name mapping used through [[postprocessing]] params.mapping`;
  else looksLike = `its top-level keys are ${shown}`;
  return `not an experiment: it has no [bench] table and no [[model]] entries; ${looksLike}. An experiment needs [bench], [learningframework], [dataset], [model_template] and [[model]]`;
}

// A schema is a tiny validator that turns untrusted TOML values into typed values with defaults,
// collecting every problem (with its key path) instead of stopping at the first one.
// Kinds (datasets, models, …) declare their `params` with these combinators, next to the kind.

import { ConfigError } from './errors';
import { workspacePathProblem } from './workspace-path';

export type Severity = 'error' | 'warning';

export interface Issue {
  /** Key path as a user reads it: `model[0].params.filters`. Empty for the whole file. */
  path: string;
  message: string;
  severity: Severity;
}

export interface Schema<T> {
  /** Validates `input` found at `path`; pushes issues and returns the best value it can (defaults filled). */
  parse(input: unknown, path: string, issues: Issue[]): T;
  /** What the schema expects, in words ("an integer", "a list of integers"). */
  readonly expected: string;
  /** Value used when the key is absent; `undefined` means the key is required. */
  readonly fallback?: () => T;
  /** Marks a key that may be absent without a default. */
  readonly optional?: boolean;
}

export type Infer<S> = S extends Schema<infer T> ? T : never;

export function joinPath(base: string, key: string | number): string {
  if (typeof key === 'number') return `${base}[${key}]`;
  const safe = /^[A-Za-z_][A-Za-z0-9_-]*$/.test(key) ? key : JSON.stringify(key);
  return base ? `${base}.${safe}` : safe;
}

export function describeValue(value: unknown): string {
  if (value === null || value === undefined) return 'nothing';
  if (Array.isArray(value)) return 'a list';
  if (value instanceof Date) return 'a date';
  switch (typeof value) {
    case 'string': return `the string ${JSON.stringify(value.length > 40 ? value.slice(0, 40) + '…' : value)}`;
    case 'number': return Number.isInteger(value) ? `the number ${value}` : `the number ${value}`;
    case 'bigint': return `the integer ${value}`;
    case 'boolean': return `${value}`;
    case 'object': return 'a table';
    default: return typeof value;
  }
}

// Issues that say "wrong type here", as opposed to "right type, wrong value": a union reports the member
// whose type matched (`must be at most 4096`) rather than a bare "expected an integer or a list".
const typeMismatches = new WeakSet<Issue>();

function mismatch(issues: Issue[], path: string, expected: string, got: unknown): void {
  const issue: Issue = { path, severity: 'error', message: `expected ${expected}, got ${describeValue(got)}` };
  typeMismatches.add(issue);
  issues.push(issue);
}

function make<T>(expected: string, parse: Schema<T>['parse'], fallback?: () => T): Schema<T> {
  return { expected, parse, fallback };
}

/** TOML integers may arrive as bigint from smol-toml when they overflow doubles; accept both. */
function asNumber(input: unknown): number | undefined {
  if (typeof input === 'number') return input;
  if (typeof input === 'bigint' && input <= BigInt(Number.MAX_SAFE_INTEGER) && input >= -BigInt(Number.MAX_SAFE_INTEGER)) return Number(input);
  return undefined;
}

export function number(fallback?: number, range?: { min?: number; max?: number }): Schema<number> {
  return make('a number', (input, path, issues) => {
    const n = asNumber(input);
    if (n === undefined || Number.isNaN(n)) { mismatch(issues, path, 'a number', input); return fallback ?? 0; }
    if (!Number.isFinite(n)) { issues.push({ path, severity: 'error', message: `must be a finite number, got ${n}` }); return fallback ?? 0; }
    checkRange(n, range, path, issues);
    return n;
  }, fallback === undefined ? undefined : () => fallback);
}

export function integer(fallback?: number, range?: { min?: number; max?: number }): Schema<number> {
  return make('an integer', (input, path, issues) => {
    const n = asNumber(input);
    if (n === undefined || !Number.isInteger(n)) { mismatch(issues, path, 'an integer', input); return fallback ?? 0; }
    // 1e20 is an integer-valued float in TOML; past 2^53 integers are no longer exact anywhere downstream.
    if (!Number.isSafeInteger(n)) { issues.push({ path, severity: 'error', message: `must be an integer of at most ${Number.MAX_SAFE_INTEGER} in magnitude, got ${n}` }); return fallback ?? 0; }
    checkRange(n, range, path, issues);
    return n;
  }, fallback === undefined ? undefined : () => fallback);
}

function checkRange(n: number, range: { min?: number; max?: number } | undefined, path: string, issues: Issue[]): void {
  if (range?.min !== undefined && n < range.min) issues.push({ path, severity: 'error', message: `must be at least ${range.min}, got ${n}` });
  if (range?.max !== undefined && n > range.max) issues.push({ path, severity: 'error', message: `must be at most ${range.max}, got ${n}` });
}

export function string(fallback?: string): Schema<string> {
  return make('a string', (input, path, issues) => {
    if (typeof input !== 'string') { mismatch(issues, path, 'a string', input); return fallback ?? ''; }
    return input;
  }, fallback === undefined ? undefined : () => fallback);
}

const NAME = /^[A-Za-z0-9_][A-Za-z0-9_-]{0,127}$/;

/** A name that may become part of a file name and of generated C: `name` with every other character as '_'. */
export function cleanName(name: string): string {
  const cleaned = name.replace(/[^A-Za-z0-9_-]+/g, '_').replace(/^-+/, '').slice(0, 128);
  return cleaned === '' ? 'experiment' : cleaned;
}

/**
 * An experiment or model name: letters, digits, '_' and '-' (not first), at most 128 characters, as every
 * Qualia config writes them. Names become folder and file names (out/…, logs/<bench.name>/) and text in
 * generated C, so anything else is refused, with the cleaned name proposed.
 */
export function name(fallback?: string): Schema<string> {
  const expected = "a name of letters, digits, '_' and '-'";
  return make(expected, (input, path, issues) => {
    if (typeof input !== 'string') { mismatch(issues, path, expected, input); return fallback ?? ''; }
    if (NAME.test(input)) return input;
    const shown = JSON.stringify(input.length > 60 ? `${input.slice(0, 60)}…` : input);
    issues.push({ path, severity: 'error', message: `${shown} is not a name: use letters, digits, '_' and '-' (not first), at most 128 characters (did you mean '${cleanName(input)}'?)` });
    return cleanName(input);
  }, fallback === undefined ? undefined : () => fallback);
}

/** A C identifier (the generated entry point's name). */
export function cIdentifier(fallback?: string): Schema<string> {
  const expected = 'a C identifier (letters, digits and _, not starting with a digit)';
  return make(expected, (input, path, issues) => {
    if (typeof input === 'string' && /^[A-Za-z_][A-Za-z0-9_]{0,62}$/.test(input)) return input;
    if (typeof input !== 'string') { mismatch(issues, path, expected, input); return fallback ?? ''; }
    const cleaned = input.replace(/[^A-Za-z0-9_]+/g, '_').replace(/^(?=[0-9])/, '_').slice(0, 63) || 'cnn';
    issues.push({ path, severity: 'error', message: `${JSON.stringify(input.slice(0, 60))} is not ${expected} (did you mean '${cleaned}'?)` });
    return cleaned;
  }, fallback === undefined ? undefined : () => fallback);
}

/** A folder or file path inside the experiment's workspace (relative, no '..'), e.g. a converter's outdir. */
export function relativePath(fallback?: string): Schema<string> {
  const expected = 'a relative path inside the experiment folder';
  return make(expected, (input, path, issues) => {
    if (typeof input !== 'string') { mismatch(issues, path, expected, input); return fallback ?? ''; }
    const problem = workspacePathProblem(input);
    if (problem) { issues.push({ path, severity: 'error', message: `${JSON.stringify(input.slice(0, 80))} ${problem}` }); return fallback ?? ''; }
    return input;
  }, fallback === undefined ? undefined : () => fallback);
}

export function boolean(fallback?: boolean): Schema<boolean> {
  return make('true or false', (input, path, issues) => {
    if (typeof input !== 'boolean') { mismatch(issues, path, 'true or false', input); return fallback ?? false; }
    return input;
  }, fallback === undefined ? undefined : () => fallback);
}

/** One of a fixed set of strings (Qualia's enumerations, e.g. roundtype). */
export function oneOf<const V extends string>(values: readonly V[], fallback?: V): Schema<V> {
  const expected = `one of ${values.map((v) => JSON.stringify(v)).join(', ')}`;
  return make(expected, (input, path, issues) => {
    if (typeof input === 'string' && (values as readonly string[]).includes(input)) return input as V;
    const hint = typeof input === 'string' ? didYouMean(input, values) : '';
    issues.push({ path, severity: 'error', message: `expected ${expected}, got ${describeValue(input)}${hint}` });
    return fallback ?? values[0];
  }, fallback === undefined ? undefined : () => fallback);
}

export function list<T>(item: Schema<T>, fallback?: T[], options: { minLength?: number } = {}): Schema<T[]> {
  const expected = `a list of ${item.expected.replace(/^an? /, '')}s`;
  return make(expected, (input, path, issues) => {
    if (!Array.isArray(input)) { mismatch(issues, path, expected, input); return fallback ? [...fallback] : []; }
    if (options.minLength !== undefined && input.length < options.minLength) {
      issues.push({ path, severity: 'error', message: `expected at least ${options.minLength} entr${options.minLength === 1 ? 'y' : 'ies'}, got ${input.length}` });
    }
    return input.map((v, i) => item.parse(v, joinPath(path, i), issues));
  }, fallback === undefined ? undefined : () => [...fallback]);
}

/** Accepts a single value or a list of them (Qualia often allows `dropouts = 0.1` or `[0.1, 0.2]`). */
export function oneOrList<T>(item: Schema<T>, fallback?: T | T[]): Schema<T | T[]> {
  const expected = `${item.expected} or a list of them`;
  return make(expected, (input, path, issues) => {
    if (Array.isArray(input)) return input.map((v, i) => item.parse(v, joinPath(path, i), issues));
    return item.parse(input, path, issues);
  }, fallback === undefined ? undefined : () => (Array.isArray(fallback) ? [...fallback] : fallback));
}

/** The first schema that parses without an error wins; used for `int | str` style parameters. */
export function union<T>(options: Schema<T>[], fallback?: T): Schema<T> {
  const expected = options.map((o) => o.expected).join(' or ');
  return make(expected, (input, path, issues) => {
    let typeMatched: { value: T; attempt: Issue[] } | undefined;
    for (const option of options) {
      const attempt: Issue[] = [];
      const value = option.parse(input, path, attempt);
      if (!attempt.some((i) => i.severity === 'error')) { issues.push(...attempt); return value; }
      if (!typeMatched && !attempt.some((i) => i.path === path && typeMismatches.has(i))) typeMatched = { value, attempt };
    }
    if (typeMatched) { issues.push(...typeMatched.attempt); return typeMatched.value; }
    mismatch(issues, path, expected, input);
    return (fallback ?? options[0].parse(undefined, path, [])) as T;
  }, fallback === undefined ? undefined : () => fallback);
}

/** Any TOML value, kept as is (free-form tables such as Qualia's `params` of unknown kinds). */
export function anything<T = unknown>(fallback?: T): Schema<T> {
  return make('any value', (input) => input as T, fallback === undefined ? undefined : () => structuredClone(fallback));
}

/** Makes a key optional with no default: absent stays `undefined`. */
export function optional<T>(schema: Schema<T>): Schema<T | undefined> {
  return { expected: schema.expected, parse: schema.parse, optional: true };
}

/** Same schema, another default. */
export function withDefault<T>(schema: Schema<T>, fallback: T): Schema<T> {
  return { expected: schema.expected, parse: schema.parse, fallback: () => structuredClone(fallback) };
}

export type Shape = Record<string, Schema<unknown>>;
export type InferShape<S extends Shape> = { [K in keyof S]: Infer<S[K]> };

export interface TableOptions {
  /** Open tables keep unknown keys (Qualia's free-form `params` of kinds Mote does not know). */
  open?: boolean;
  /** Extra keys accepted with a warning (stale upstream idioms), with the advice to give. */
  stale?: Record<string, string>;
}

export function isTable(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Date);
}

/** A TOML table with a closed set of keys: unknown keys are errors with a "did you mean" hint. */
export function table<S extends Shape>(shape: S, options: TableOptions = {}): Schema<InferShape<S>> & { shape: S } {
  const schema = make<InferShape<S>>('a table', (input, path, issues) => {
    const source = input === undefined ? {} : input;
    if (!isTable(source)) { mismatch(issues, path, 'a table', input); return defaultsOf(shape); }
    const out: Record<string, unknown> = {};
    for (const [key, child] of Object.entries(shape)) {
      const childPath = joinPath(path, key);
      if (source[key] === undefined) {
        if (child.fallback) out[key] = child.fallback();
        else if (!child.optional) issues.push({ path: childPath, severity: 'error', message: `missing required key '${key}' (${child.expected})` });
        continue;
      }
      out[key] = child.parse(source[key], childPath, issues);
    }
    for (const key of Object.keys(source)) {
      if (key in shape) continue;
      if (options.stale && key in options.stale) {
        issues.push({ path: joinPath(path, key), severity: 'warning', message: options.stale[key] });
        out[key] = source[key];
      } else if (options.open) {
        out[key] = source[key];
      } else {
        issues.push({ path: joinPath(path, key), severity: 'error', message: `unknown key '${key}'${didYouMean(key, Object.keys(shape))}; expected one of: ${Object.keys(shape).join(', ')}` });
      }
    }
    return out as InferShape<S>;
  }, () => defaultsOf(shape));
  return Object.assign(schema, { shape });
}

function defaultsOf<S extends Shape>(shape: S): InferShape<S> {
  const out: Record<string, unknown> = {};
  for (const [key, child] of Object.entries(shape)) if (child.fallback) out[key] = child.fallback();
  return out as InferShape<S>;
}

/** Damerau-free Levenshtein distance, small inputs only (key names). */
export function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = row[0];
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = row[j];
      row[j] = Math.min(row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1));
      diagonal = above;
    }
  }
  return row[b.length];
}

/** Edit distance where swapping two adjacent letters counts as one typo (`nmae` → `name`). */
export function typoDistance(a: string, b: string): number {
  // Three rolling rows (two back for the swap) instead of a full matrix: a pasted experiment can ask this
  // thousands of times (one "did you mean" per unknown key), and allocation was most of its cost.
  const width = b.length + 1;
  let before = new Int32Array(width);
  let previous = new Int32Array(width);
  let row = new Int32Array(width);
  for (let j = 0; j < width; j++) previous[j] = j;
  for (let i = 1; i <= a.length; i++) {
    row[0] = i;
    const ai = a.charCodeAt(i - 1);
    for (let j = 1; j < width; j++) {
      const bj = b.charCodeAt(j - 1);
      let d = Math.min(previous[j] + 1, row[j - 1] + 1, previous[j - 1] + (ai === bj ? 0 : 1));
      if (i > 1 && j > 1 && ai === b.charCodeAt(j - 2) && a.charCodeAt(i - 2) === bj) d = Math.min(d, before[j - 2] + 1);
      row[j] = d;
    }
    [before, previous, row] = [previous, row, before];
  }
  return previous[b.length];
}

/** `; did you mean 'filters'?` when a candidate is close enough, else ''. */
export function didYouMean(word: string, candidates: Iterable<string>): string {
  const lower = word.toLowerCase();
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    const other = candidate.toLowerCase();
    // The distance is at least the difference in length: such a candidate cannot beat the best one.
    if (Math.abs(other.length - lower.length) >= bestDistance) continue;
    const d = typoDistance(lower, other);
    if (d < bestDistance) { best = candidate; bestDistance = d; }
  }
  const limit = word.length <= 2 ? 0 : Math.max(1, Math.floor(word.length / 3));
  return best !== undefined && bestDistance <= limit ? ` (did you mean '${best}'?)` : '';
}

/**
 * Parses a value that the config loader has usually validated already (stages re-parse to get typed params
 * with defaults); throws a ConfigError listing every error, one per line, if it was not valid.
 */
export function parseOrThrow<T>(schema: Pick<Schema<T>, 'parse'>, value: unknown, path: string, context?: string): T {
  const issues: Issue[] = [];
  const parsed = schema.parse(value ?? {}, path, issues);
  const errors = issues.filter((i) => i.severity === 'error');
  if (errors.length) {
    const lines = errors.map((i) => `${i.path}: ${i.message}`).join('\n');
    throw new ConfigError(context ? `${context}: ${lines}` : lines);
  }
  return parsed;
}

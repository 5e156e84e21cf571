// Command-line overrides, Qualia style: `--section.key.sub=VALUE`, where integer path components index
// lists (`--model.0.epochs=5`). Qualia reads VALUE as a Python literal, so strings had to be quoted twice
// (`--deploy.target='"Linux"'`); Mote reads VALUE as a TOML value, then as a Python literal (True, None,
// ('a', 1), {'k': 1}), and otherwise takes it as a bare string, so `--deploy.target=Linux` works too.
// Pure functions: the CLI, the UI's "override" box and tests share them.

import { parse as parseToml } from 'smol-toml';
import { bracketDepth, MAX_NESTING } from './nesting';

export interface Override {
  /** Path components as written; integer components stay strings here ("0") and index lists when merged. */
  path: string[];
  value: unknown;
  /** The argument as given. */
  text: string;
}

export type OverrideResult = { ok: true; override: Override } | { ok: false; message: string };

const KEY_PART = /^[A-Za-z0-9_-]+$/;
const UNSAFE_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

export function parseOverride(arg: string): OverrideResult {
  if (!arg.startsWith('--')) return { ok: false, message: `'${arg}' is not an override; write --section.key=value (e.g. --model.0.epochs=5)` };
  const eq = arg.indexOf('=');
  if (eq < 0) return { ok: false, message: `'${arg}' has no '='; write ${arg}=VALUE` };
  const keyText = arg.slice(2, eq);
  const path = keyText.split('.');
  for (const part of path) {
    if (part === '') return { ok: false, message: `'${keyText}' has an empty key component; write --section.key=value` };
    if (!KEY_PART.test(part)) return { ok: false, message: `'${part}' in --${keyText} is not a plain key (letters, digits, '_' and '-' only)` };
    if (UNSAFE_KEYS.has(part)) return { ok: false, message: `'${part}' cannot be used as a key` };
  }
  const rawValue = arg.slice(eq + 1);
  if (path.length + bracketDepth(rawValue) > MAX_NESTING) {
    return { ok: false, message: `--${keyText.length > 60 ? `${keyText.slice(0, 60)}…` : keyText}: nests more than ${MAX_NESTING} levels deep (key parts plus brackets in the value); an experiment needs a few` };
  }
  const value = readValue(rawValue);
  if (!value.ok) return { ok: false, message: `--${keyText}: ${value.message}` };
  return { ok: true, override: { path, value: value.value, text: arg } };
}

/** Reads an override value: TOML value, else Python literal, else the bare text as a string. */
export function readValue(raw: string): { ok: true; value: unknown } | { ok: false; message: string } {
  const text = unwrapPythonQuotes(raw.trim());
  const toml = readTomlValue(text);
  if (toml.ok) return toml;
  const python = readPythonLiteral(text);
  if (python.ok) return python;
  if (python.message) return { ok: false, message: python.message };
  return { ok: true, value: raw };
}

/** `'"Linux"'` reaching us unchanged (no shell to strip the outer quotes) means the string "Linux". */
function unwrapPythonQuotes(text: string): string {
  if (text.length >= 4) {
    const outer = text[0];
    const inner = text[1];
    if ((outer === "'" || outer === '"') && text.endsWith(outer) && (inner === "'" || inner === '"') && inner !== outer && text[text.length - 2] === inner) {
      return text.slice(1, -1);
    }
  }
  return text;
}

function readTomlValue(text: string): { ok: true; value: unknown } | { ok: false } {
  if (text === '') return { ok: false };
  try {
    const table = parseToml(`value = ${text}\n`, { unsafeKeyBehaviour: 'throw' });
    const keys = Object.keys(table);
    if (keys.length === 1 && keys[0] === 'value') return { ok: true, value: table.value };
  } catch {
    // not TOML: try a Python literal next
  }
  return { ok: false };
}

/** A small reader for Python literals (what Qualia's ast.literal_eval accepted on its command line). */
function readPythonLiteral(text: string): { ok: true; value: unknown } | { ok: false; message?: string } {
  let i = 0;
  const blank = () => { while (i < text.length && /\s/.test(text[i])) i++; };
  class NotLiteral extends Error {}
  const fail = (why?: string): never => { throw new NotLiteral(why); };
  const value = (): unknown => {
    blank();
    const c = text[i];
    if (c === '[' || c === '(') {
      const close = c === '[' ? ']' : ')';
      i++;
      const out: unknown[] = [];
      for (;;) {
        blank();
        if (text[i] === close) { i++; return out; }
        out.push(value());
        blank();
        if (text[i] === ',') { i++; continue; }
        if (text[i] === close) { i++; return out; }
        fail();
      }
    }
    if (c === '{') {
      i++;
      const out: Record<string, unknown> = {};
      for (;;) {
        blank();
        if (text[i] === '}') { i++; return out; }
        const key = value();
        if (typeof key !== 'string' && typeof key !== 'number') fail('dictionary keys must be strings or numbers');
        if (UNSAFE_KEYS.has(String(key))) fail(`'${String(key)}' cannot be used as a key`);
        blank();
        if (text[i] !== ':') fail();
        i++;
        out[String(key)] = value();
        blank();
        if (text[i] === ',') { i++; continue; }
        if (text[i] === '}') { i++; return out; }
        fail();
      }
    }
    if (c === '"' || c === "'") {
      i++;
      let out = '';
      while (i < text.length && text[i] !== c) {
        if (text[i] === '\\' && i + 1 < text.length) {
          const next = text[i + 1];
          out += ({ n: '\n', t: '\t', r: '\r', '\\': '\\', "'": "'", '"': '"' } as Record<string, string>)[next] ?? `\\${next}`;
          i += 2;
        } else out += text[i++];
      }
      if (text[i] !== c) fail();
      i++;
      return out;
    }
    const word = /^[A-Za-z_][A-Za-z0-9_]*|^[-+]?(\d[\d_]*\.?[\d_]*|\.\d[\d_]*)([eE][-+]?\d+)?/.exec(text.slice(i));
    if (!word) return fail();
    i += word[0].length;
    if (word[0] === 'True') return true;
    if (word[0] === 'False') return false;
    if (word[0] === 'None') fail('None has no TOML equivalent; leave the key out to get the default');
    const n = Number(word[0].replace(/_/g, ''));
    if (!/^[-+.\d]/.test(word[0]) || Number.isNaN(n)) fail();
    return n;
  };
  try {
    const out = value();
    blank();
    if (i !== text.length) return { ok: false };
    return { ok: true, value: out };
  } catch (error) {
    if (error instanceof NotLiteral) return error.message ? { ok: false, message: error.message } : { ok: false };
    throw error;
  }
}

/**
 * Nests overrides into one table, as Qualia's args parser does (`{model: {"0": {epochs: 5}}}`); a later
 * override of the same key wins. Returns problems for overrides that clash (a value and a table at one key).
 */
export function overridesToTable(overrides: readonly Override[]): { table: Record<string, unknown>; problems: { index: number; message: string }[] } {
  const table: Record<string, unknown> = {};
  const problems: { index: number; message: string }[] = [];
  overrides.forEach((override, index) => {
    let node = table;
    for (const [depth, part] of override.path.entries()) {
      if (depth === override.path.length - 1) {
        node[part] = override.value;
        break;
      }
      const next = node[part];
      if (next === undefined || !isPlainTable(next)) {
        if (next !== undefined) problems.push({ index, message: `--${override.path.slice(0, depth + 1).join('.')} was already set to a value by an earlier override; this one replaces it with a table` });
        node[part] = {};
      }
      node = node[part] as Record<string, unknown>;
    }
  });
  return { table, problems };
}

function isPlainTable(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Date);
}

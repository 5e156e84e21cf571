// Maps key paths (`model[0].params.filters`, as joinPath writes them) to where they are written in a TOML
// text, so every diagnostic can name a line and column. smol-toml returns plain values without positions,
// so this is a second, forgiving pass over text that smol-toml has already accepted: it understands
// [tables], [[arrays of tables]] (with per-parent indices), dotted keys, quoted keys, inline tables and
// arrays (element positions), and skips strings and comments. It never throws: on text it does not follow
// it stops and returns what it has found.

import { joinPath } from '../base/schema';

export interface Position {
  line: number;
  column: number;
}

export interface KeyLocator {
  /** Where `path` is written, or undefined. */
  find(path: string): Position | undefined;
}

export function locateKeys(text: string): KeyLocator {
  const positions = new Map<string, number>();
  try {
    new Scanner(text, positions).document();
  } catch {
    // A text this scanner does not follow still yields the positions found before the confusing part.
  }
  const lineStarts = [0];
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) lineStarts.push(i + 1);
  const toPosition = (offset: number): Position => {
    let lo = 0;
    let hi = lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (lineStarts[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: offset - lineStarts[lo] + 1 };
  };
  return {
    find(path) {
      const offset = positions.get(path);
      return offset === undefined ? undefined : toPosition(offset);
    },
  };
}

const BARE_KEY = /[A-Za-z0-9_-]/;

class Scanner {
  private i = 0;
  /** Arrays of tables seen so far, by resolved path, with their element count. */
  private readonly tableArrays = new Map<string, number>();

  constructor(private readonly s: string, private readonly positions: Map<string, number>) {}

  private record(path: string, offset: number): void {
    if (!this.positions.has(path)) this.positions.set(path, offset);
  }

  document(): void {
    let table = '';
    while (this.i < this.s.length) {
      const before = this.i;
      this.skipBlank(true);
      if (this.i >= this.s.length) break;
      const c = this.s[this.i];
      if (c === '[') table = this.header();
      else if (c === '#') this.skipComment();
      else this.keyValue(table);
      if (this.i === before) this.i++; // always make progress, whatever the text
    }
  }

  /** `[a.b]` or `[[a.b]]`; returns the resolved path that following keys live in. */
  private header(): string {
    const start = this.i;
    const isArray = this.s.startsWith('[[', this.i);
    this.i += isArray ? 2 : 1;
    const keys = this.dottedKey();
    this.i = this.s.indexOf(']', this.i);
    if (this.i < 0) this.i = this.s.length;
    else this.i += isArray ? 2 : 1;
    let path = '';
    keys.forEach(({ key, offset }, index) => {
      path = joinPath(path, key);
      const last = index === keys.length - 1;
      if (last && isArray) {
        const count = this.tableArrays.get(path) ?? 0;
        this.tableArrays.set(path, count + 1);
        this.record(path, start);
        path = joinPath(path, count);
        this.record(path, start);
        return;
      }
      this.record(path, offset);
      const count = this.tableArrays.get(path);
      if (count !== undefined) path = joinPath(path, count - 1);
    });
    return path;
  }

  private keyValue(table: string): void {
    const keys = this.dottedKey();
    if (keys.length === 0) {
      this.skipLine();
      return;
    }
    let path = table;
    for (const { key, offset } of keys) {
      path = joinPath(path, key);
      this.record(path, offset);
    }
    this.skipBlank(false);
    if (this.s[this.i] !== '=') {
      this.skipLine();
      return;
    }
    this.i++;
    this.skipBlank(false);
    this.value(path);
  }

  /** Reads `a."b c".d` and returns each segment with its offset. */
  private dottedKey(): { key: string; offset: number }[] {
    const keys: { key: string; offset: number }[] = [];
    for (;;) {
      this.skipBlank(false);
      const offset = this.i;
      const c = this.s[this.i];
      let key: string;
      if (c === '"' || c === "'") key = this.quoted();
      else {
        const from = this.i;
        while (this.i < this.s.length && BARE_KEY.test(this.s[this.i])) this.i++;
        if (this.i === from) break;
        key = this.s.slice(from, this.i);
      }
      keys.push({ key, offset });
      this.skipBlank(false);
      if (this.s[this.i] !== '.') break;
      this.i++;
    }
    return keys;
  }

  private value(path: string): void {
    const c = this.s[this.i];
    if (c === '[') {
      this.i++;
      let index = 0;
      for (;;) {
        this.skipBlank(true);
        if (this.i >= this.s.length) return;
        if (this.s[this.i] === ']') { this.i++; return; }
        if (this.s[this.i] === ',') { this.i++; continue; }
        const element = joinPath(path, index++);
        this.record(element, this.i);
        const before = this.i;
        this.value(element);
        if (this.i === before) this.i++;
      }
    }
    if (c === '{') {
      this.i++;
      for (;;) {
        this.skipBlank(false);
        if (this.i >= this.s.length) return;
        if (this.s[this.i] === '}') { this.i++; return; }
        if (this.s[this.i] === ',') { this.i++; continue; }
        const keys = this.dottedKey();
        if (keys.length === 0) { this.i++; continue; }
        let inner = path;
        for (const { key, offset } of keys) {
          inner = joinPath(inner, key);
          this.record(inner, offset);
        }
        this.skipBlank(false);
        if (this.s[this.i] === '=') this.i++;
        this.skipBlank(false);
        this.value(inner);
      }
    }
    if (c === '"' || c === "'") {
      this.quoted();
      return;
    }
    while (this.i < this.s.length && !/[,\]}\n#]/.test(this.s[this.i])) this.i++;
  }

  /** Reads a basic, literal or multi-line string starting at `this.i`; returns its (approximate) value. */
  private quoted(): string {
    const q = this.s[this.i];
    const multi = this.s.startsWith(q.repeat(3), this.i);
    this.i += multi ? 3 : 1;
    let out = '';
    while (this.i < this.s.length) {
      const c = this.s[this.i];
      if (multi ? this.s.startsWith(q.repeat(3), this.i) : c === q) {
        this.i += multi ? 3 : 1;
        // A multi-line string may end with up to two extra quotes: `""""a"""""`.
        while (multi && this.s[this.i] === q) { out += q; this.i++; }
        return out;
      }
      if (!multi && c === '\n') return out;
      if (c === '\\' && q === '"') {
        const next = this.s[this.i + 1];
        const simple: Record<string, string> = { n: '\n', t: '\t', r: '\r', b: '\b', f: '\f', '"': '"', '\\': '\\', e: '\x1b' };
        if (next in simple) { out += simple[next]; this.i += 2; continue; }
        if (next === 'u' || next === 'U') {
          const len = next === 'u' ? 4 : 8;
          const code = parseInt(this.s.slice(this.i + 2, this.i + 2 + len), 16);
          if (Number.isFinite(code) && code <= 0x10ffff) out += String.fromCodePoint(code);
          this.i += 2 + len;
          continue;
        }
        if (next === 'x') {
          out += String.fromCharCode(parseInt(this.s.slice(this.i + 2, this.i + 4), 16) || 0);
          this.i += 4;
          continue;
        }
        this.i += 2; // line-ending backslash or unknown escape
        continue;
      }
      out += c;
      this.i++;
    }
    return out;
  }

  private skipBlank(newlines: boolean): void {
    while (this.i < this.s.length) {
      const c = this.s[this.i];
      if (c === ' ' || c === '\t' || c === '\r' || c === '\uFEFF' || (newlines && c === '\n')) this.i++;
      else if (newlines && c === '#') this.skipComment();
      else break;
    }
  }

  private skipComment(): void {
    const end = this.s.indexOf('\n', this.i);
    this.i = end < 0 ? this.s.length : end;
  }

  private skipLine(): void {
    this.skipComment();
  }
}

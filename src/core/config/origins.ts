// Where a merged value came from. An experiment is assembled from several sources (the file, its includes,
// the command line, and [model_template] copied into every [[model]]); to point a diagnostic at the key the
// user actually wrote, every table and list of the assembled tree remembers the places it was built from,
// most important first (the writer that wins a merge comes first).

import { isTable, joinPath } from '../base/schema';

export interface Origin {
  /** Index into the load's list of sources (main file, includes, command line). */
  source: number;
  /** Key path of this value inside that source. */
  path: string;
}

export class Origins {
  private readonly byValue = new WeakMap<object, Origin[]>();

  get(value: unknown): Origin[] {
    return typeof value === 'object' && value !== null ? this.byValue.get(value) ?? [] : [];
  }

  set(value: unknown, origins: Origin[]): void {
    if (typeof value === 'object' && value !== null) this.byValue.set(value, origins);
  }

  /** Tags every table and list of a freshly parsed source with its own path. */
  tagTree(value: unknown, source: number, path: string): void {
    if (Array.isArray(value)) {
      this.set(value, [{ source, path }]);
      value.forEach((item, i) => this.tagTree(item, source, joinPath(path, i)));
    } else if (isTable(value)) {
      this.set(value, [{ source, path }]);
      for (const [key, item] of Object.entries(value)) this.tagTree(item, source, joinPath(path, key));
    }
  }

  /** Deep copy that keeps the tags (merges never share structure between their inputs and output). */
  copy<T>(value: T): T {
    if (Array.isArray(value)) {
      const out = value.map((item) => this.copy(item));
      this.set(out, this.get(value));
      return out as T;
    }
    if (isTable(value)) {
      const out: Record<string, unknown> = {};
      for (const [key, item] of Object.entries(value)) out[key] = this.copy(item);
      this.set(out, this.get(value));
      return out as T;
    }
    return value;
  }
}

/** Splits a joinPath-style path into its segments: `model[0].params."a b"` → ['model', 0, 'params', 'a b']. */
export function splitPath(path: string): (string | number)[] {
  const out: (string | number)[] = [];
  let i = 0;
  while (i < path.length) {
    const c = path[i];
    if (c === '.') { i++; continue; }
    if (c === '[') {
      const end = path.indexOf(']', i);
      out.push(Number(path.slice(i + 1, end < 0 ? path.length : end)));
      i = end < 0 ? path.length : end + 1;
      continue;
    }
    if (c === '"') {
      // JSON-quoted key: find the closing quote that is not escaped.
      let j = i + 1;
      while (j < path.length && path[j] !== '"') j += path[j] === '\\' ? 2 : 1;
      try { out.push(JSON.parse(path.slice(i, j + 1)) as string); } catch { out.push(path.slice(i + 1, j)); }
      i = j + 1;
      continue;
    }
    let j = i;
    while (j < path.length && path[j] !== '.' && path[j] !== '[') j++;
    out.push(path.slice(i, j));
    i = j;
  }
  return out;
}

export function joinSegments(segments: readonly (string | number)[], base = ''): string {
  return segments.reduce<string>((path, segment) => joinPath(path, segment), base);
}

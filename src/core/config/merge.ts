// Qualia's merge_dict (qualia_core/utils/merge_dict.py), re-stated: the result is a copy of `winner`
// completed with what `filler` has and `winner` lacks. Tables merge recursively; when both sides hold a
// value that is not a table, the winner's value stays. Lists depend on `mergeLists`:
//  - false ([model_template] → [[model]]): the winner's list replaces the filler's, never merged;
//  - true (command-line overrides, includes): the filler's elements that the winner's list lacks are
//    appended, and a winner *table* with integer keys (`--model.0.epochs=5`) overwrites list positions.
// Where Qualia raises TypeError (a table meets a non-table), this reports a problem and keeps the winner.

import { describeValue, isTable, joinPath } from '../base/schema';
import type { Origins } from './origins';

export type Table = Record<string, unknown>;

export interface MergeProblem {
  path: string;
  message: string;
}

export interface MergeContext {
  mergeLists: boolean;
  origins: Origins;
  problems: MergeProblem[];
  /** Words for the side that fills in ("[model_template]", "the included file conf/x.toml"). */
  fillerName: string;
  /** Lists of the winner that the filler's elements extended (Qualia semantics that surprise people). */
  extendedLists?: { path: string; winner: unknown[]; result: unknown[] }[];
}

export function mergeDict(winner: Table, filler: Table, path: string, context: MergeContext): Table {
  const result = context.origins.copy(winner);
  context.origins.set(result, [...context.origins.get(winner), ...context.origins.get(filler)]);
  mergeInto(result, filler, path, context);
  return result;
}

function mergeInto(table: Table, filler: Table, path: string, context: MergeContext): void {
  for (const [key, fillerValue] of Object.entries(filler)) {
    if (!Object.hasOwn(table, key)) {
      table[key] = context.origins.copy(fillerValue);
      continue;
    }
    table[key] = mergeValue(table[key], fillerValue, joinPath(path, key), context);
  }
}

function mergeValue(value: unknown, fillerValue: unknown, path: string, context: MergeContext): unknown {
  const { origins, problems } = context;
  if (isTable(fillerValue)) {
    if (!isTable(value)) {
      problems.push({ path, message: `expected a table here because ${context.fillerName} has one, got ${describeValue(value)}` });
      return value;
    }
    origins.set(value, [...origins.get(value), ...origins.get(fillerValue)]);
    mergeInto(value, fillerValue, path, context);
    return value;
  }
  if (!Array.isArray(fillerValue) || !context.mergeLists) return value;
  if (Array.isArray(value)) {
    const before = [...value];
    for (const element of fillerValue) {
      if (!value.some((existing) => deepEqual(existing, element))) value.push(origins.copy(element));
    }
    origins.set(value, [...origins.get(value), ...origins.get(fillerValue)]);
    if (value.length > before.length) context.extendedLists?.push({ path, winner: before, result: value });
    return value;
  }
  if (isTable(value)) return overwritePositions(value, fillerValue, path, context);
  problems.push({ path, message: `expected a list here because ${context.fillerName} has one, got ${describeValue(value)}` });
  return value;
}

/** `{ "0": {...}, "2": 5 }` over a list: the table's entries replace (or merge into) those positions. */
function overwritePositions(positions: Table, list: unknown[], path: string, context: MergeContext): unknown {
  const byIndex = new Map<number, unknown>();
  for (const [key, value] of Object.entries(positions)) {
    if (!/^\d+$/.test(key)) {
      context.problems.push({ path: joinPath(path, key), message: `'${key}' is not a list index: ${path} is a list in ${context.fillerName}, so only integer keys (0, 1, …) can set its entries` });
      continue;
    }
    const index = Number(key);
    if (index >= list.length) {
      // Qualia fails with a KeyError here; an entry cannot be added through a position.
      context.problems.push({ path: joinPath(path, index), message: `index ${index} is past the end of the list (${list.length} entr${list.length === 1 ? 'y' : 'ies'} in ${context.fillerName}); existing entries can be changed this way, new ones cannot be added` });
      continue;
    }
    byIndex.set(index, value);
  }
  const out = list.map((element, index) => (byIndex.has(index) ? mergeValue(byIndex.get(index), element, joinPath(path, index), context) : context.origins.copy(element)));
  context.origins.set(out, [...context.origins.get(positions), ...context.origins.get(list)]);
  return out;
}

/** Python `==` on TOML values, which is what `e not in list` compares with. */
export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => deepEqual(x, b[i]));
  if (isTable(a) && isTable(b)) {
    const keys = Object.keys(a);
    return keys.length === Object.keys(b).length && keys.every((k) => Object.hasOwn(b, k) && deepEqual(a[k], b[k]));
  }
  if (a instanceof Date && b instanceof Date) return a.getTime() === b.getTime();
  return false;
}

// Qualia's merge_dict semantics (qualia_core/utils/merge_dict.py), case by case.
import { describe, expect, test } from 'vitest';
import { mergeDict, type MergeProblem } from '../../src/core/config/merge';
import { Origins } from '../../src/core/config/origins';

function merge(winner: Record<string, unknown>, filler: Record<string, unknown>, mergeLists: boolean) {
  const problems: MergeProblem[] = [];
  const result = mergeDict(winner, filler, '', { mergeLists, origins: new Origins(), problems, fillerName: 'the filler' });
  return { result, problems };
}

describe('merge_dict', () => {
  test('the winner keeps its values, the filler fills what is missing, tables merge deeply', () => {
    const { result } = merge({ a: 1, t: { x: 1 } }, { a: 2, b: 3, t: { x: 2, y: 3 } }, false);
    expect(result).toEqual({ a: 1, b: 3, t: { x: 1, y: 3 } });
  });

  test('without mergeLists the winner list replaces the filler list', () => {
    expect(merge({ l: [7, 3, 3, 3] }, { l: [7, 3, 3] }, false).result).toEqual({ l: [7, 3, 3, 3] });
  });

  test('with mergeLists the filler elements missing from the winner list are appended', () => {
    expect(merge({ l: ['int8'] }, { l: ['float32', 'int8'] }, true).result).toEqual({ l: ['int8', 'float32'] });
    expect(merge({ l: [{ a: 1 }] }, { l: [{ a: 1 }, { a: 2 }] }, true).result).toEqual({ l: [{ a: 1 }, { a: 2 }] });
  });

  test('a winner table with integer keys overwrites list positions (--model.1.epochs=5)', () => {
    const { result, problems } = merge({ model: { 1: { epochs: 5 } } }, { model: [{ name: 'a' }, { name: 'b', epochs: 1 }] }, true);
    expect(result).toEqual({ model: [{ name: 'a' }, { name: 'b', epochs: 5 }] });
    expect(problems).toEqual([]);
  });

  test('positions past the end and non-integer keys are problems, the other positions still apply', () => {
    const { result, problems } = merge({ model: { 0: { epochs: 2 }, 4: { epochs: 5 }, x: 1 } }, { model: [{ name: 'a' }] }, true);
    expect(result).toEqual({ model: [{ name: 'a', epochs: 2 }] });
    expect(problems.map((p) => p.path)).toEqual(['model[4]', 'model.x']);
  });

  test('a table meeting a non-table is a problem (Qualia: TypeError) and the winner stays', () => {
    const { result, problems } = merge({ params: 3 }, { params: { filters: [1] } }, false);
    expect(result).toEqual({ params: 3 });
    expect(problems).toEqual([{ path: 'params', message: 'expected a table here because the filler has one, got the number 3' }]);
  });

  test('inputs are never modified', () => {
    const winner = { t: { x: 1 }, l: [1] };
    const filler = { t: { y: 2 }, l: [2] };
    merge(winner, filler, true);
    expect(winner).toEqual({ t: { x: 1 }, l: [1] });
    expect(filler).toEqual({ t: { y: 2 }, l: [2] });
  });
});

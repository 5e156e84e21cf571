import { describe, expect, test } from 'vitest';
import { integer, list, oneOf, table, type Issue, didYouMean, typoDistance } from './schema';

describe('schema combinators', () => {
  const params = table({ filters: list(integer(), undefined, { minLength: 1 }), dims: oneOf(['1', '2'] as const, '1'), epochs: integer(0, { min: 0 }) });

  test('fills defaults and keeps valid values', () => {
    const issues: Issue[] = [];
    expect(params.parse({ filters: [8, 16] }, 'model[0].params', issues)).toEqual({ filters: [8, 16], dims: '1', epochs: 0 });
    expect(issues).toEqual([]);
  });

  test('reports every problem with its key path and a hint', () => {
    const issues: Issue[] = [];
    params.parse({ filter: [8], epochs: -1, dims: '3' }, 'model[0].params', issues);
    expect(issues.map((i) => `${i.path}: ${i.message}`)).toEqual([
      "model[0].params.filters: missing required key 'filters' (a list of integers)",
      'model[0].params.dims: expected one of "1", "2", got the string "3"',
      'model[0].params.epochs: must be at least 0, got -1',
      "model[0].params.filter: unknown key 'filter' (did you mean 'filters'?); expected one of: filters, dims, epochs",
    ]);
  });

  test('did you mean only for near misses', () => {
    expect(didYouMean('batchsize', ['batch_size', 'epochs'])).toBe(" (did you mean 'batch_size'?)");
    expect(didYouMean('zzz', ['batch_size', 'epochs'])).toBe('');
  });

  test('typo distance: edits and adjacent swaps count one each; the first closest candidate wins', () => {
    expect(typoDistance('nmae', 'name')).toBe(1);
    expect(typoDistance('kitten', 'sitting')).toBe(3);
    expect(typoDistance('', 'abc')).toBe(3);
    expect(typoDistance('abc', '')).toBe(3);
    expect(typoDistance('ca', 'abc')).toBe(3); // a swap is not edited again
    expect(typoDistance('epochs', 'epochs')).toBe(0);
    expect(didYouMean('Filtres', ['fc_units', 'filters', 'filters_'])).toBe(" (did you mean 'filters'?)");
    expect(didYouMean('dim', ['dims', 'dime'])).toBe(" (did you mean 'dims'?)");
  });
});

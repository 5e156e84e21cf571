// The layer table's own promises: one definition per kind under its own name, facets that agree with each
// other, tfjs facets that load on demand, and one clear error per stage for a kind that lacks it.

import { describe, expect, it } from 'vitest';
import { UnsupportedError } from '../../src/core/base/errors';
import { definitionOf, facetOf, kindsSupporting, layerTable } from '../../src/core/layers/table';
import { inferShapes } from '../../src/core/models/shapes';
import { buildGraph, softmaxModel } from '../codegen/zoo';

describe('the layer table', () => {
  it('keys every definition by its own kind', () => {
    for (const [key, definition] of Object.entries(layerTable)) expect(definition.kind, key).toBe(key);
  });

  it('gives every kind that runs in fixed point all three fixed-point facets', () => {
    for (const definition of Object.values(layerTable)) {
      const fixedPoint = [definition.quantize, definition.integer, definition.c].filter(Boolean).length;
      // A quantization rule without an integer reference (or the reverse) would pass one stage and fail the next.
      if (definition.quantize || definition.integer) expect(fixedPoint, definition.kind).toBe(3);
    }
  });

  it('loads each tfjs facet on demand as a function', async () => {
    for (const definition of Object.values(layerTable)) {
      if (!definition.tfjs) continue;
      expect(typeof (await definition.tfjs()), definition.kind).toBe('function');
    }
    expect(kindsSupporting('tfjs')).toEqual(Object.keys(layerTable).filter((k) => k !== 'Input'));
  });

  it('names the layer and the stage when a kind lacks a facet, with what to do', () => {
    const softmax = softmaxModel().layers.at(-1)!;
    expect(() => facetOf(softmax, 'integer')).toThrow(UnsupportedError);
    expect(() => facetOf(softmax, 'integer')).toThrow("layer 'softmax' (Softmax) is not supported by the integer reference interpreter; a Softmax in an int8/int16 model has no fixed-point kernel in Mote");
    const dropout = { kind: 'Dropout' as const, name: 'drop', inputs: ['x'], rate: 0.1 };
    expect(() => facetOf(dropout, 'c')).toThrow("layer 'drop' (Dropout) is not supported by the C generator; deployment lowering (lowerForDeployment) removes it");
    // Without a hint the error lists the kinds the stage supports.
    const input = { kind: 'Input' as const, name: 'input', inputs: [], shape: [3] };
    expect(() => facetOf(input, 'float')).toThrow(/layer 'input' \(Input\) is not supported by the float reference interpreter; supported kinds: Conv, Dense, /);
  });

  it('refuses a kind it does not know, in every stage, naming the layer', () => {
    const graph = buildGraph('odd', [{ kind: 'Input', name: 'input', shape: [4] }, { kind: 'Dense', name: 'fc', units: 2, useBias: true, activation: 'linear' }], 1);
    (graph.layers[1] as { kind: string }).kind = 'LSTM';
    expect(() => definitionOf(graph.layers[1])).toThrow("layer 'fc' (LSTM): 'LSTM' is not a layer kind this Mote knows; known kinds: Input, Conv, Dense");
    expect(() => inferShapes(graph)).toThrow(/layer 'fc' \(LSTM\): 'LSTM' is not a layer kind/);
  });

});

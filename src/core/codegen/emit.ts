// The C generator: a lowered float graph or a QuantizedGraph → model.h (ABI v1, docs/codegen-abi.md),
// model.c (number helpers, one static function per layer, the entry point) and model_weights.h (const
// weights, included by model.c only). Phases: check every layer has a C emitter (its kind's C facet,
// layers/<kind>/c.ts), emit layer bodies (which register their weights), plan the activation arena, then
// assemble the files.

import { UnsupportedError } from '../base/errors';
import type { CEmitContext, LayerCode, NumberFormat } from '../layers/facets/c';
import { numberCType, numberHelpers } from '../layers/shared/arith-c';
import { arrayBody, floatHex, intLiteral } from '../layers/shared/c-literals';
import { defaultLongWidth } from '../layers/shared/fixed-point';
import { sizeOf } from '../layers/shared/geometry';
import { facetOf } from '../layers/table';
import type { ModelGraph } from '../models/graph';
import { lowerForDeployment } from '../quantization/lower';
import { packBuffers, type BufferRequest } from './allocator';
import { cText } from './c-text';
import type { CodegenModel, CodegenOptions, GeneratedSources } from './types';

export const MOTE_MODEL_ABI_VERSION = 1;

const ROUND_MACRO = { floor: 'ROUND_MODE_FLOOR', nearest: 'ROUND_MODE_NEAREST', ceil: 'ROUND_MODE_CEIL' } as const;

/** 32-bit FNV-1a of a string (UTF-16 code units folded to bytes of their low and high halves). */
export function fnv1a(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    h = Math.imul(h ^ (c & 0xff), 0x01000193) >>> 0;
    if (c > 0xff) h = Math.imul(h ^ (c >>> 8), 0x01000193) >>> 0;
  }
  return h >>> 0;
}

function cIdentifier(name: string, what: string): string {
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) throw new UnsupportedError(`${what} '${name}' is not a C identifier (letters, digits and _, not starting with a digit)`);
  return name;
}

export function generateC(model: CodegenModel, options: CodegenOptions = {}): GeneratedSources {
  const dialect = options.dialect ?? 'c99';
  const entry = cIdentifier(options.entry ?? 'cnn', 'converter.params.model_name');
  const number: NumberFormat = model.format;
  const graph: ModelGraph = model.format === 'float32' ? lowerForDeployment(model.graph) : model.quantized.graph;
  const quantized = model.format === 'float32' ? undefined : model.quantized;
  const longWidth = options.longWidth ?? defaultLongWidth(quantized?.bits ?? 32);
  if (quantized && `int${quantized.bits}` !== number) throw new Error(`internal: a ${quantized.bits}-bit QuantizedGraph cannot be emitted as ${number}`);
  const displayName = cText(options.displayName ?? graph.name, 'comment');
  const displayNameString = cText(options.displayName ?? graph.name, 'string');
  const ctype = numberCType(number);
  const inputLayer = graph.layers[0];
  const last = graph.layers[graph.layers.length - 1];
  if (last === inputLayer) throw new UnsupportedError(`model '${graph.name}' has no layers after its input; the C generator needs at least one`);
  // The graph input is the caller's buffer; every other layer needs its kind's C facet.
  const layers = graph.layers.slice(1).map((layer) => ({ layer, emit: facetOf(layer, 'c') }));

  const weightDecls: string[] = [];
  let weightBytes = 0;
  const accBytes = longWidth / 8;
  const numberBytes = number === 'float32' ? 4 : number === 'int16' ? 2 : 1;
  const fracOf = (name: string) => (!quantized ? 0 : name === inputLayer.name ? quantized.input.frac : quantized.formats[name].output);

  // Phase 1: layer bodies.
  const codes = new Map<string, LayerCode>();
  let macs = 0;
  for (const { layer, emit } of layers) {
    const ctx: CEmitContext = {
      inShapes: layer.inputs.map((name) => graph.shapes[name]),
      outShape: graph.shapes[layer.name],
      number,
      dialect,
      longWidth,
      packInt8Weights: options.packInt8Weights ?? true,
      format: quantized?.formats[layer.name],
      inFracs: layer.inputs.map(fracOf),
      weight: (role) => graph.weights[`${layer.name}/${role}`].data,
      intWeight: (role) => quantized?.weights[`${layer.name}/${role}`],
      constArray(role, type, values) {
        const name = `${layer.name}_${role}`;
        const literal = number === 'float32' && type !== 'word' ? (v: number) => floatHex(v) : (v: number) => intLiteral(v);
        const cType = type === 'word' ? 'int32_t' : type === 'number' ? 'model_number_t' : number === 'float32' ? 'float' : 'mote_acc_t';
        weightDecls.push(`static const ${cType} ${name}[${values.length}] = {\n${arrayBody(Array.from(values, literal), type === 'word' ? 8 : number === 'float32' ? 6 : 16)}\n};`);
        weightBytes += values.length * (type === 'word' ? 4 : type === 'number' || number === 'float32' ? numberBytes : accBytes);
        return name;
      },
    };
    const code = emit(layer, ctx);
    codes.set(layer.name, code);
    if (code.kind === 'function') macs += code.macs;
  }

  // Phase 2: storage. An alias (Flatten) shares its source's storage; the input and the final output are the caller's.
  const storageOf = new Map<string, string>();
  storageOf.set(inputLayer.name, 'input');
  const steps = new Map<string, number>();
  graph.layers.forEach((layer, i) => steps.set(layer.name, i));
  for (const { layer } of layers) {
    const code = codes.get(layer.name)!;
    storageOf.set(layer.name, code.kind === 'alias' ? storageOf.get(layer.inputs[0])! : layer === last ? 'output' : layer.name);
  }
  const finalCopy = codes.get(last.name)!.kind === 'alias' ? storageOf.get(last.name)! : undefined;
  if (finalCopy) storageOf.set(last.name, finalCopy);
  const requests = new Map<string, BufferRequest>();
  for (const layer of graph.layers) {
    const storage = storageOf.get(layer.name)!;
    if (storage === 'input' || storage === 'output') continue;
    if (!requests.has(storage)) requests.set(storage, { name: storage, size: sizeOf(graph.shapes[storage]), first: steps.get(storage)!, last: steps.get(storage)! });
  }
  for (const layer of graph.layers) {
    for (const input of layer.inputs) {
      const request = requests.get(storageOf.get(input)!);
      if (request) request.last = Math.max(request.last, steps.get(layer.name)!);
    }
  }
  if (finalCopy && requests.has(finalCopy)) requests.get(finalCopy)!.last = graph.layers.length;
  const align = Math.max(1, 4 / numberBytes);
  const plan = packBuffers([...requests.values()], align);
  const offsets = new Map(plan.placements.map((p) => [p.name, p.offset]));
  const pointer = (storage: string) => (storage === 'input' ? 'x' : storage === 'output' ? 'y' : `mote_arena + ${offsets.get(storage)}`);

  // Phase 3: files.
  const functions: string[] = [];
  const calls: string[] = [];
  for (const layer of graph.layers) {
    const code = codes.get(layer.name);
    if (!code || code.kind === 'alias') continue;
    const params = [...layer.inputs.map((_, i) => `const model_number_t *restrict in${i}`), 'model_number_t *restrict out'];
    functions.push(`/* ${layer.name}: ${layer.kind} ${JSON.stringify(graph.shapes[layer.inputs[0]])} -> ${JSON.stringify(graph.shapes[layer.name])} */\nstatic void layer_${layer.name}(${params.join(', ')}) {\n${code.body}\n}`);
    calls.push(`  layer_${layer.name}(${[...layer.inputs.map((name) => pointer(storageOf.get(name)!)), pointer(storageOf.get(layer.name)!)].join(', ')});`);
  }
  const outputSize = sizeOf(graph.shapes[last.name]);
  if (finalCopy) calls.push(`  memcpy(y, ${pointer(finalCopy)}, sizeof(output_t));`);
  const includes = [...new Set([...codes.values()].flatMap((code) => (code.kind === 'function' ? code.includes ?? [] : [])))].sort();
  const weightsFile = [
    `/* Generated by Mote for ${displayName}: const weights and biases (${weightBytes} bytes). Included by model.c only. */`,
    ...weightDecls,
    '',
  ].join('\n\n');
  const arenaDecl = plan.size > 0 ? `static model_number_t mote_arena[${plan.size}]; /* ${plan.size * numberBytes} bytes, shared by layers whose outputs are never live together */` : '/* no activation arena needed */';
  const helpers = numberHelpers(number, dialect, longWidth);
  const modelC = [
    `/* Generated by Mote (${dialect} dialect) for ${displayName}; do not edit. ABI: docs/codegen-abi.md. */`,
    '#include "model.h"',
    '#include <string.h>',
    ...includes.map((header) => `#include <${header}>`),
    '',
    ...(helpers ? [helpers, ''] : []),
    '#include "model_weights.h"',
    '',
    arenaDecl,
    '',
    functions.join('\n\n'),
    '',
    `void ${entry}(const input_t input, output_t output) {`,
    '  const model_number_t *x = (const model_number_t *)input;',
    '  model_number_t *y = (model_number_t *)output;',
    ...calls,
    ...(calls.some((c) => /\bx\b/.test(c)) ? [] : ['  (void)x;']),
    '}',
    '',
  ].join('\n');
  // The hash covers code and weights but not the header comments (which name the model and dialect), so
  // regenerating the same model under another display name keeps the hash the firmware reports.
  const withoutHeader = (text: string) => text.slice(text.indexOf('\n') + 1);
  const hash = fnv1a(withoutHeader(weightsFile) + withoutHeader(modelC));
  const inputShape = graph.shapes[inputLayer.name];
  const outputFrac = fracOf(last.name);
  const bits = number === 'float32' ? 32 : number === 'int16' ? 16 : 8;
  const inputRound = quantized ? ROUND_MACRO[quantized.input.round] : 'ROUND_MODE_NEAREST';
  const outputRound = quantized && last.name !== inputLayer.name ? ROUND_MACRO[quantized.formats[last.name].round] : 'ROUND_MODE_NEAREST';
  const modelH = [
    `/* Generated by Mote for ${displayName}; do not edit. ABI: docs/codegen-abi.md. */`,
    '#ifndef MOTE_MODEL_H',
    '#define MOTE_MODEL_H',
    '',
    '#include <stdint.h>',
    '',
    '#ifdef __cplusplus',
    'extern "C" {',
    '#endif',
    '',
    `#define MOTE_MODEL_ABI_VERSION ${MOTE_MODEL_ABI_VERSION}`,
    `#define MODEL_NAME_STRING ${displayNameString}`,
    `#define MODEL_HASH 0x${hash.toString(16).padStart(8, '0')}u`,
    `#define MODEL_NUMBER_FORMAT ${bits}`,
    `#define MODEL_INPUT_RANK ${inputShape.length}`,
    ...inputShape.map((d, i) => `#define MODEL_INPUT_DIM_${i} ${d}`),
    `#define MODEL_INPUT_DIMS ${sizeOf(inputShape)}`,
    `#define MODEL_OUTPUT_DIMS ${outputSize}`,
    '#define MODEL_OUTPUT_SAMPLES MODEL_OUTPUT_DIMS',
    '#ifndef ROUND_MODE_FLOOR',
    '#define ROUND_MODE_FLOOR 0',
    '#define ROUND_MODE_NEAREST 1',
    '#define ROUND_MODE_CEIL 2',
    '#endif',
    `#define MODEL_INPUT_SCALE_FACTOR ${quantized ? quantized.input.frac : 0}`,
    `#define MODEL_OUTPUT_SCALE_FACTOR ${outputFrac}`,
    `#define MODEL_INPUT_ROUND_MODE ${inputRound}`,
    `#define MODEL_OUTPUT_ROUND_MODE ${outputRound}`,
    `#define MODEL_MACS ${macs}u`,
    `#define MODEL_ARENA_BYTES ${plan.size * numberBytes}u`,
    `#define MODEL_WEIGHT_BYTES ${weightBytes}u`,
    `#define MODEL_LONG_WIDTH ${number === 'float32' ? 32 : longWidth}`,
    `typedef ${ctype} model_number_t;`,
    `typedef model_number_t input_t${inputShape.map((d) => `[${d}]`).join('')};`,
    `typedef model_number_t output_t[${outputSize}];`,
    `#define MODEL_ENTRY ${entry}`,
    `void ${entry}(const input_t input, output_t output);`,
    '',
    '#ifdef __cplusplus',
    '}',
    '#endif',
    '',
    '#endif',
    '',
  ].join('\n');
  return {
    files: { 'model.h': modelH, 'model.c': modelC, 'model_weights.h': weightsFile },
    report: {
      arenaBytes: plan.size * numberBytes,
      unpackedBytes: plan.unpackedSize * numberBytes,
      arenaLowerBoundBytes: plan.lowerBound * numberBytes,
      weightBytes,
      macs,
      hash,
      inputFrac: quantized ? quantized.input.frac : 0,
      outputFrac,
      buffers: plan.placements.map((p) => ({ layer: p.name, offset: p.offset * numberBytes, bytes: p.size * numberBytes })),
    },
  };
}

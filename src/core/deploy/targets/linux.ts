// Qualia's `Linux` deploy target for QualiaCodeGen: the generated sources go to
// `out/qualia_codegen/<name>_r<i>_q<float32|int16|int8>/` with a small host harness that reads raw input
// vectors (the model's number type, little-endian, back to back) from one file and writes the raw outputs
// to another. `linux-build.node.ts` compiles it with the host `cc` and evaluates it against the TypeScript
// reference; this file stays pure (it writes through a Workspace).

import { boolean, integer, optional, relativePath, string, table } from '../../base/schema';
import type { BoardKind } from '../board';
import { generateC } from '../../codegen/emit';
import type { CodegenModel, CodegenOptions, CodegenReport } from '../../codegen/types';
import { codegenDirName } from '../../base/naming';
import type { Workspace } from '../../base/workspace';

const linuxParams = table({
  /** Qualia: folder of the Linux example project (CMake); Mote builds its own harness and ignores it. */
  projectdir: optional(string()),
  /** Qualia: build folder, default `out/deploy/Linux`; Mote builds the harness beside the generated C. */
  outdir: optional(relativePath()),
});

/** Qualia's host evaluator (evaluation/host/Qualia.py): accepted for compatibility; Mote runs one process. */
const linuxEvaluatorParams = table({
  chunks: optional(integer(undefined, { min: 1 })),
  max_workers: optional(integer(undefined, { min: 1 })),
  /** Qualia's own Linux harness rejects it (argc != 3); Mote keeps per-vector outputs in the comparison. */
  save_preds: boolean(false),
});

export const linuxTarget = {
  kind: 'Linux',
  title: 'Linux host (this computer)',
  summary: 'generated C compiled for this computer with cc and evaluated against the TypeScript reference',
  params: linuxParams,
  evaluatorParams: linuxEvaluatorParams,
  build: { kind: 'host', toolchains: ['host-cc'] },
  transports: ['process'],
  reports: { size: 'host-object', counter: 'none', latency: false, clockHz: () => null },
  capacity: { flashBytes: null, ramBytes: null, clockHz: null },
  acceptsOptimize: false,
  timeoutSeconds: () => 600,
  shuffle: () => false,
} satisfies BoardKind;

/** C harness for an input shape: `harness <inputs.bin> <outputs.bin>`; exits 2 on a short or unreadable file. */
export function linuxHarness(inputShape: readonly number[]): string {
  // The cast spells the entry point's `const input_t` parameter type (a const pointer to array for rank > 1).
  const tail = inputShape.slice(1).map((d) => `[${d}]`).join('');
  const cast = inputShape.length === 1 ? '(const model_number_t *)input' : `(const model_number_t (*)${tail})input`;
  return `/* Mote Linux harness: raw vectors in, raw outputs out (model number type, native byte order). */
#include <stdio.h>
#include "model.h"

int main(int argc, char **argv) {
  static input_t input;
  static output_t output;
  if (argc != 3) {
    fprintf(stderr, "usage: %s <inputs.bin> <outputs.bin>\\n", argv[0]);
    return 2;
  }
  FILE *in = fopen(argv[1], "rb");
  FILE *out = fopen(argv[2], "wb");
  if (!in || !out) {
    fprintf(stderr, "cannot open %s or %s\\n", argv[1], argv[2]);
    return 2;
  }
  unsigned long count = 0;
  size_t got;
  while ((got = fread(input, 1, sizeof(input_t), in)) == sizeof(input_t)) {
    MODEL_ENTRY(${cast}, output);
    if (fwrite(output, sizeof(output_t), 1, out) != 1) return 2;
    count++;
  }
  if (got != 0) {
    fprintf(stderr, "%s: trailing %lu bytes do not make a whole input vector of %lu bytes\\n", argv[1], (unsigned long)got, (unsigned long)sizeof(input_t));
    return 2;
  }
  fclose(in);
  if (fclose(out) != 0) return 2;
  fprintf(stderr, "vectors=%lu\\n", count);
  return 0;
}
`;
}

export interface PrepareLinuxInput {
  model: CodegenModel;
  /** Model name after postprocessing renames (`uci-har_resnetv1_8_q8_force_qoff_e0_LSQFalse`). */
  name: string;
  iteration: number;
  codegen?: CodegenOptions;
  /** Qualia's converter `outdir`, default `out/qualia_codegen`. */
  outdir?: string;
  /** Exact folder (workspace-relative) instead of `<outdir>/<name>_r<i>_q<format>` (e.g. with an `_o<optimize>` suffix). */
  dir?: string;
}

export interface PreparedLinux {
  /** Folder of the sources, relative to the workspace. */
  dir: string;
  files: Record<string, string>;
  report: CodegenReport;
  inputShape: number[];
}

export function quantizeTag(model: CodegenModel): string {
  return model.format;
}

/** Generates the C and writes it with the harness under `<outdir>/<name>_r<i>_q<format>/`. */
export async function prepareLinux(workspace: Workspace, input: PrepareLinuxInput): Promise<PreparedLinux> {
  const dir = input.dir ?? `${(input.outdir ?? 'out/qualia_codegen').replace(/\/+$/, '')}/${codegenDirName(input.name, input.iteration, quantizeTag(input.model))}`;
  const displayName = `${input.name}_r${input.iteration}_q${input.model.format === 'float32' ? 'float32' : input.model.format.slice(3)}`;
  const generated = generateC(input.model, { displayName, ...input.codegen });
  const graph = input.model.format === 'float32' ? input.model.graph : input.model.quantized.graph;
  const inputShape = graph.shapes[graph.layers[0].name];
  const files = { ...generated.files, 'harness.c': linuxHarness(inputShape) };
  for (const [file, text] of Object.entries(files)) await workspace.writeFile(`${dir}/${file}`, text);
  return { dir, files, report: generated.report, inputShape };
}

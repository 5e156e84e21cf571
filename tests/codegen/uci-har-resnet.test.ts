// Qualia's UCI-HAR ResNetv1 Linux deployment configs (conf/tests/UCI-HAR_ResNetv1_QualiaCodeGen_Linux_*):
// the config loads, the ResNet kind builds the model, the config's quantization postprocessing runs on a
// fixture-sized random training set, and the Linux target's C compiles (-Wall -Werror, sanitizers) and
// reproduces the TypeScript reference; the same sources compile for Cortex-M4 in both dialects.

import { existsSync, readFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { generateC } from '../../src/core/codegen/emit';
import { codegenOptions, qualiaCodeGen } from '../../src/core/codegen/qualia-codegen';
import { loadExperiment } from '../../src/core/config/load';
import { evaluateLinux } from '../../src/core/deploy/targets/linux-build.node';
import { prepareLinux } from '../../src/core/deploy/targets/linux';
import { modelKinds } from '../../src/core/models/registry';
import { nodeWorkspace } from '../../src/core/base/workspace.node';
import { postprocessingKinds } from '../../src/core/postprocessing/registry';
import type { PostprocessingOutput } from '../../src/core/postprocessing/types';
import { codegenModelFor } from '../../src/core/codegen/model-for-format';
import type { CodegenModel, CodegenOptions, NumberFormat } from '../../src/core/codegen/types';
import { createRng } from '../../src/core/base/rng';
import { requireTools } from '../firmware/helpers';
import { ARM_FLAGS, exec, writeSources } from './host-build';
import { randomData } from './zoo';

const CONF = resolve(__dirname, '../../../shared/qualia-conf/qualia-core/conf/tests');
const root = mkdtempSync(join(tmpdir(), 'mote-ucihar-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe.runIf(existsSync(CONF) || process.env.CI).each(['float32', 'int16', 'int8_directpytorch'])('UCI-HAR ResNetv1 QualiaCodeGen Linux %s', (variant) => {
  let generated: { codegenModel: CodegenModel; options: CodegenOptions } | undefined;

  it('builds, quantizes as configured and generates C that compiles and matches the reference', async () => {
    const file = join(CONF, `UCI-HAR_ResNetv1_QualiaCodeGen_Linux_${variant}.toml`);
    const { experiment, diagnostics } = loadExperiment(readFileSync(file, 'utf8'), { file });
    expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const model = experiment!.model[0];
    const graph = modelKinds.ResNet.build(modelKinds.ResNet.params.parse(model.params, 'model[0].params', []), [128, 9], 6, model.name, { rng: createRng(experiment!.bench.seed) });
    expect(graph.layers.some((l) => l.kind === 'Add')).toBe(true);

    // Fixture-sized training set (random, UCI-HAR-shaped) for calibration.
    const count = 24;
    const train = { x: randomData([128, 9], count, 3), labels: Int32Array.from({ length: count }, (_, i) => i % 6), count, shape: [128, 9] };
    let step: PostprocessingOutput = { graph, name: model.name, exports: {} };
    for (const [index, pp] of experiment!.postprocessing.entries()) {
      const kind = (postprocessingKinds as Record<string, (typeof postprocessingKinds)[keyof typeof postprocessingKinds]>)[pp.kind];
      if (!kind) continue; // Torch2Keras / RemoveKerasSoftmax: Keras-only steps Mote does not need
      const out = await kind.run(pp.params as never, { graph: step.graph, name: step.name, iteration: 1, model, train, where: `postprocessing[${index}]` });
      step = { ...out, quantization: out.quantization ?? step.quantization };
    }
    const format = experiment!.deploy!.quantize[0] as NumberFormat;
    const codegenModel = codegenModelFor(format, step.graph, step.quantization, step.name);
    const options = codegenOptions(qualiaCodeGen.params.parse(experiment!.deploy!.converter.params, 'deploy.converter.params', []), experiment!.deploy!.optimize[0]);
    const workspace = nodeWorkspace(root);
    const prepared = await prepareLinux(workspace, { model: codegenModel, name: step.name, iteration: 1, codegen: options });
    expect(prepared.dir).toMatch(new RegExp(`^out/qualia_codegen/uci-har_resnetv1_8.*_r1_q${format}$`));
    const test = { x: randomData([128, 9], 16, 4), labels: Int32Array.from({ length: 16 }, (_, i) => i % 6), count: 16 };
    const result = await evaluateLinux({ model: codegenModel, dir: workspace.realPath!(prepared.dir), test, longWidth: options.longWidth, sanitize: true, macs: prepared.report.macs });
    if (format === 'float32') {
      expect(result.max_rel_diff!).toBeLessThan(1e-5);
      expect(result.agreement).toBe(1);
    } else {
      expect(result.bit_exact).toBe(true);
    }
    expect(result.rom_bytes).toBeGreaterThan(prepared.report.weightBytes);
    expect(result.ram_bytes).toBeGreaterThanOrEqual(prepared.report.arenaBytes);

    generated = { codegenModel, options };
  }, 120_000);

  // Without the cross compiler this reports itself skipped (never green); in CI requireTools lets it fail.
  it.runIf(requireTools('arm-none-eabi-gcc'))('the same sources compile for Cortex-M4 in both dialects', async () => {
    expect(generated, "the Linux test above generates the model").toBeDefined();
    for (const dialect of ['c99', 'cortex-m'] as const) {
      const dir = join(root, `${variant}_${dialect}_arm`);
      writeSources(dir, generateC(generated!.codegenModel, { ...generated!.options, dialect }).files);
      const { ok, out } = await exec('arm-none-eabi-gcc', [...ARM_FLAGS, 'model.c', '-o', 'model.o'], dir);
      expect(ok, out).toBe(true);
    }
  }, 120_000);
});

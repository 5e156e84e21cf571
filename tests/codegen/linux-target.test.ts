// The Linux target on its own: Qualia's folder layout, the harness's raw I/O contract (and its refusal of a
// truncated input file), and evaluateLinux's figures against known labels.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { targetKinds } from '../../src/core/deploy/registry';
import { buildLinux, evaluateLinux, referenceOutputs, runLinuxHarness } from '../../src/core/deploy/targets/linux-build.node';
import { prepareLinux } from '../../src/core/deploy/targets/linux';
import { nodeWorkspace } from '../../src/core/base/workspace.node';
import { quantizeZooModel, randomData, zoo } from './zoo';

const root = mkdtempSync(join(tmpdir(), 'mote-linux-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('Linux target', () => {
  const graph = zoo.mlp();
  const q = quantizeZooModel(graph, 8, 'nearest', randomData([13], 64, 1), 64);
  const model = { format: 'int8' as const, quantized: q };
  const workspace = nodeWorkspace(root);

  it('is registered with Qualia’s deployer params', () => {
    const issues: unknown[] = [];
    targetKinds.Linux.params.parse({ projectdir: 'examples/Linux', outdir: 'out/deploy/Linux' }, 'deploy.deployer.params', issues as never);
    expect(issues).toEqual([]);
  });

  it('writes the sources in Qualia’s layout and evaluates against the reference', async () => {
    const prepared = await prepareLinux(workspace, { model, name: 'mlp_q8_force_qoff_e0_LSQFalse', iteration: 3 });
    expect(prepared.dir).toBe('out/qualia_codegen/mlp_q8_force_qoff_e0_LSQFalse_r3_qint8');
    expect(Object.keys(prepared.files).sort()).toEqual(['harness.c', 'model.c', 'model.h', 'model_weights.h']);
    expect(prepared.files['model.h']).toContain('#define MODEL_NAME_STRING "mlp_q8_force_qoff_e0_LSQFalse_r3_q8"');
    const x = randomData([13], 30, 2);
    // Labels = the reference's own predictions for the first 20 vectors, wrong for the last 10.
    const raw = referenceOutputs(model, { x, labels: new Int32Array(30), count: 30 });
    const labels = Int32Array.from({ length: 30 }, (_, i) => {
      let best = 0;
      for (let j = 1; j < 4; j++) if (raw[i * 4 + j] > raw[i * 4 + best]) best = j;
      return i < 20 ? best : (best + 1) % 4;
    });
    const result = await evaluateLinux({ model, dir: workspace.realPath!(prepared.dir), test: { x, labels, count: 30 }, macs: prepared.report.macs, limit: 25 });
    expect(result.n).toBe(25);
    expect(result.accuracy).toBeCloseTo(20 / 25, 10);
    expect(result.reference_accuracy).toBeCloseTo(20 / 25, 10);
    expect(result.bit_exact).toBe(true);
    expect(result.agreement).toBe(1);
    expect(result.macs).toBe(208);
  });

  it('the harness refuses a truncated input file', async () => {
    const exe = await buildLinux(workspace.realPath!('out/qualia_codegen/mlp_q8_force_qoff_e0_LSQFalse_r3_qint8'));
    await expect(runLinuxHarness(exe, new Uint8Array(13 + 5))).rejects.toThrow(/trailing 5 bytes do not make a whole input vector of 13 bytes/);
  });
});

import { mkdtemp, rm, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { InputFileError } from '../../src/core/base/errors';
import { modelKinds } from '../../src/core/models/registry';
import { nodeWorkspace } from '../../src/core/base/workspace.node';
import { loadTrainedModel, saveTrainedModel } from '../../src/core/training/weights-store';

describe('trained weights in out/learningmodel', async () => {
  const root = await mkdtemp(join(tmpdir(), 'mote-weights-'));
  afterAll(() => rm(root, { recursive: true, force: true }));
  const workspace = nodeWorkspace(root);
  const graph = modelKinds.MLP.build(modelKinds.MLP.params.parse({ units: [5, 4] }, 'p', []), [3, 2], 3, 'har_mlp');

  it('saves under Qualia\'s <name>_r<i> name and loads the same graph back', async () => {
    expect(await saveTrainedModel(workspace, 'har_mlp', 1, graph)).toBe('out/learningmodel/har_mlp_r1.mote');
    expect(await loadTrainedModel(workspace, 'har_mlp', 1)).toEqual(graph);
  });

  it('explains a missing file and a PyTorch .pth', async () => {
    await expect(loadTrainedModel(workspace, 'har_mlp', 2)).rejects.toThrow(/load = true but out\/learningmodel\/har_mlp_r2.mote does not exist; train the model first/);
    await mkdir(join(root, 'out/learningmodel'), { recursive: true });
    await writeFile(join(root, 'out/learningmodel/har_mlp_r3.pth'), 'PK');
    await expect(loadTrainedModel(workspace, 'har_mlp', 3)).rejects.toThrow(InputFileError);
    await expect(loadTrainedModel(workspace, 'har_mlp', 3)).rejects.toThrow(/is a PyTorch file, which Mote cannot read/);
  });
});

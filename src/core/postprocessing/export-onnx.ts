// Mote's own post-processing kind ExportONNX: writes the float model as it stands at this step (after
// FuseBatchNorm if that comes first) to out/learningmodel/<name>_r<i>.onnx — opset 13, standard operators,
// channels-first like torch.onnx.export — for onnxruntime, Netron or any other ONNX tool. The graph passes on
// unchanged.

import { table, type Infer } from '../base/schema';
import { runName } from '../base/naming';
import { exportOnnx } from '../models/onnx/export';
import { LEARNINGMODEL_DIR } from '../training/weights-store';
import type { PostprocessingKind } from './types';

const params = table({});

export function onnxExportPath(name: string, iteration: number): string {
  return `${LEARNINGMODEL_DIR}/${runName(name, iteration)}.onnx`;
}

export const exportOnnxKind: PostprocessingKind<Infer<typeof params>> = {
  kind: 'ExportONNX',
  summary: "Mote's own: writes the float model to out/learningmodel/<name>_r<i>.onnx (ONNX opset 13, standard operators); the model passes on unchanged",
  params,
  async run(_params, input) {
    const path = onnxExportPath(input.name, input.iteration);
    const bytes = exportOnnx({ ...input.graph, name: input.name });
    input.log?.(`${input.where ?? 'ExportONNX'}: ${path} (${bytes.length} bytes)`);
    return { graph: input.graph, name: input.name, exports: { [path]: bytes } };
  },
};

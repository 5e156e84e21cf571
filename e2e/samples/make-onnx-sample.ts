// Writes e2e/samples/digits-torch.onnx, the model the ONNX e2e drops into the app: the torch-style CNN for
// the built-in digits of tests/models/onnx/torch-style.ts (untrained, seeded weights), encoded as
// torch.onnx.export would write it. Run `npx tsx e2e/samples/make-onnx-sample.ts` after changing it; the
// file is committed so the e2e needs no generator.
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { encodeOnnxModel } from '../../src/core/models/onnx/schema';
import { torchDigitsCnn } from '../../tests/models/onnx/torch-style';

const here = dirname(fileURLToPath(import.meta.url));
writeFileSync(join(here, 'digits-torch.onnx'), encodeOnnxModel(torchDigitsCnn()));

// A dropped or chosen .onnx file becomes the open experiment's model: the file is checked by the importer
// first (so a malformed one is refused with its plain-words error, naming the file, and nothing changes),
// then kept with the experiment in IndexedDB (ExperimentStore.putExperimentFile) and the text's model
// tables become `[model_template] kind = "ONNX"` reading it (editor/onnx-model-text.ts).
import { MoteError } from '../../core/base/errors';
import { StorageFullError } from '../../core/experiments/store';
import { onnxModelPath, withOnnxModel } from '../editor/onnx-model-text';
import { workbench } from './workbench.svelte';

export const isOnnxFile = (file: { name: string }) => /\.onnx$/i.test(file.name);

export async function importOnnxFile(file: File): Promise<boolean> {
  const current = workbench.current;
  const store = workbench.store;
  if (!current || !store) return false;
  const bytes = new Uint8Array(await file.arrayBuffer());
  const { importOnnx } = await import('../../core/models/onnx/import');
  try {
    importOnnx(bytes, { source: file.name });
  } catch (error) {
    if (!(error instanceof MoteError)) throw error;
    workbench.notify('error', `${error.message.startsWith(file.name) ? '' : `${file.name}: `}${error.message.replace(/\.$/, '')}. Nothing was imported; the experiment is unchanged.`);
    return false;
  }
  const path = onnxModelPath(file.name);
  try {
    await store.putExperimentFile(current.id, path, bytes);
  } catch (error) {
    workbench.notify('error', error instanceof StorageFullError ? error.message : `Keeping ${file.name} with the experiment failed: ${(error as Error).message}`);
    return false;
  }
  workbench.edit(withOnnxModel(workbench.draft, file.name));
  await workbench.flush();
  workbench.notify('success', `Imported ${file.name} as the model (kind "ONNX", ${path}, kept with this experiment). Run keeps its weights, then quantizes, generates C and evaluates it.`);
  return true;
}

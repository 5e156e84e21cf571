// The pipeline's Workspace (Qualia's out/… and logs/… paths) mapped onto one run's artifacts in an
// ExperimentStore, so the same actions write files in Node and artifacts in the browser. A path the run has
// not written is read from the experiment's own files (an imported .onnx model), so every run of an
// experiment finds them without copying; writes always go to the run.
import type { Workspace } from '../base/workspace';
import { workspacePath } from '../base/workspace-path';
import { RecordNotFoundError, type ExperimentStore } from './store';
import { artifactKindFor } from './media-type';

const normalize = workspacePath;

export function runWorkspace(store: ExperimentStore, runId: string): Workspace {
  const find = async (path: string) => {
    const name = normalize(path);
    const own = (await store.listArtifacts(runId)).find((a) => a.name === name);
    if (own) return own;
    const run = await store.getRun(runId);
    return run ? (await store.listExperimentFiles(run.experimentId)).find((a) => a.name === name) : undefined;
  };
  return {
    async readFile(path) {
      const artifact = await find(path);
      if (!artifact) throw new RecordNotFoundError(`${normalize(path)} has not been written by this run (an earlier stage did not run, or failed).`);
      return store.readArtifact(artifact.id);
    },
    async readText(path) {
      return new TextDecoder().decode(await this.readFile(path));
    },
    async writeFile(path, data) {
      const name = normalize(path);
      const bytes = typeof data === 'string' ? new TextEncoder().encode(data) : data;
      await store.putArtifact({ runId, name, kind: artifactKindFor(name) }, bytes);
    },
    async exists(path) {
      return (await find(path)) !== undefined;
    },
  };
}

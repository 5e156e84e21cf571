// Media types and kinds of the artifacts Mote writes, from their file names (downloads and previews use them).
import type { ArtifactKind } from './store';

export function mediaTypeFor(name: string): string {
  const extension = name.slice(name.lastIndexOf('.') + 1).toLowerCase();
  const known: Record<string, string> = {
    c: 'text/x-c', h: 'text/x-c', txt: 'text/plain', log: 'text/plain', json: 'application/json',
    toml: 'application/toml', csv: 'text/csv', zip: 'application/zip', wasm: 'application/wasm',
  };
  return known[extension] ?? 'application/octet-stream';
}

/** What an artifact is, from its path in Qualia's layout (`out/qualia_codegen/…/model.c`, `logs/…`). */
export function artifactKindFor(path: string): ArtifactKind {
  const name = path.toLowerCase();
  if (/\.(c|h|cpp|hpp|s|ld|mk)$/.test(name) || name.endsWith('/makefile')) return 'c-source';
  if (/\.(elf|bin|hex|uf2|wasm)$/.test(name)) return 'firmware';
  if (/\.(log|txt)$/.test(name) || name.startsWith('logs/')) return 'log';
  if (/\.(pth|h5|weights|npz)$/.test(name) || name.startsWith('out/learningmodel/')) return 'weights';
  if (name.startsWith('out/data/')) return 'dataset';
  return 'other';
}

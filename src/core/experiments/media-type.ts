// Media types of the artifacts Mote writes, from their file names (downloads and previews use them).

export function mediaTypeFor(name: string): string {
  const extension = name.slice(name.lastIndexOf('.') + 1).toLowerCase();
  const known: Record<string, string> = {
    c: 'text/x-c', h: 'text/x-c', txt: 'text/plain', log: 'text/plain', json: 'application/json',
    toml: 'application/toml', csv: 'text/csv', zip: 'application/zip', wasm: 'application/wasm',
  };
  return known[extension] ?? 'application/octet-stream';
}

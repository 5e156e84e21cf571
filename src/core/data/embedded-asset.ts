// Reads a file shipped with Mote's code (a `new URL('./x', import.meta.url)` asset): with fetch in the
// browser and workers (vite emits the asset), from disk under Node, where fetch does not support file: URLs.
// The Node branch is a dynamic import behind the protocol check, so browser bundles never load it.

export async function readEmbeddedAsset(url: URL): Promise<Uint8Array> {
  if (url.protocol === 'file:') {
    const fsModule = 'node:fs/promises';
    const fs = (await import(/* @vite-ignore */ fsModule)) as typeof import('node:fs/promises');
    return new Uint8Array(await fs.readFile(url));
  }
  const response = await fetch(url);
  if (!response.ok) throw new Error(`internal: built-in asset ${url.pathname} could not be fetched (HTTP ${response.status}); the build is incomplete`);
  return new Uint8Array(await response.arrayBuffer());
}

// The Mote Runtime images for physical boards that the app ships (runtime/prebuilt/*.bin|.uf2|.hex, emitted
// by Vite as assets), by file name: the image a board's `runtime.image` names is fetched from here to install.
const urls: Record<string, string> = Object.fromEntries(
  Object.entries(import.meta.glob<string>('../../../runtime/prebuilt/*.{bin,uf2,hex}', { query: '?url', import: 'default', eager: true }))
    .map(([path, url]) => [path.slice(path.lastIndexOf('/') + 1), url]),
);

export function hasRuntimeImage(name: string | undefined): boolean {
  return name !== undefined && name in urls;
}

export async function fetchRuntimeImage(name: string): Promise<Uint8Array> {
  const url = urls[name];
  if (!url) throw new Error(`this app has no Mote Runtime image '${name}' (it has: ${Object.keys(urls).join(', ') || 'none'}); choose an image file instead`);
  const response = await fetch(url);
  if (!response.ok) throw new Error(`the Mote Runtime image ${name} could not be fetched (HTTP ${response.status}); reload the app and try again`);
  return new Uint8Array(await response.arrayBuffer());
}

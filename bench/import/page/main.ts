// Benchmark page: the files picked in <input type=file> go through the same path as the app's import
// (File[] → fileListSource → FashionMNIST.load); the time is measured from the `change` event.

import { FashionMNIST } from '../../../src/core/data/kinds/fashion-mnist';
import { directoryHandleSource, fileListSource } from '../../../src/core/data/source.browser';
import { Digits } from '../../../src/core/data/kinds/digits';

declare global {
  interface Window {
    importResult?: { ms: number; train: number; test: number; dtype: string } | { error: string };
    digitsResult?: { ms: number; train: number; test: number } | { error: string };
    handleResult?: { ms: number; train: number; test: number } | { error: string };
  }
}

const input = document.getElementById('files') as HTMLInputElement;
const out = document.getElementById('out')!;
input.addEventListener('change', async () => {
  if (new URLSearchParams(location.search).has('handle')) return;
  const dtype = (new URLSearchParams(location.search).get('dtype') ?? 'uint8') as 'uint8' | 'float32';
  try {
    const start = performance.now();
    const bundle = await FashionMNIST.load({ path: '', dtype }, fileListSource(Array.from(input.files ?? [])));
    const ms = performance.now() - start;
    window.importResult = { ms, train: bundle.train.count, test: bundle.test.count, dtype };
    out.textContent = JSON.stringify(window.importResult);
  } catch (error) {
    window.importResult = { error: String(error) };
    out.textContent = String(error);
  }
});

// The built-in Digits set comes from the asset Vite emitted for `new URL('../embedded/digits.csv.gz', import.meta.url)`.
if (new URLSearchParams(location.search).has('digits')) {
  const start = performance.now();
  Digits.load({}, undefined).then(
    (bundle) => { window.digitsResult = { ms: performance.now() - start, train: bundle.train.count, test: bundle.test.count }; },
    (error) => { window.digitsResult = { error: String(error) }; },
  );
}

// ?handle: copy the picked files into the origin-private file system, then import them through a real
// FileSystemDirectoryHandle (the adapter used for folders opened with showDirectoryPicker).
if (new URLSearchParams(location.search).has('handle')) {
  input.addEventListener('change', async () => {
    try {
      const root = await navigator.storage.getDirectory();
      const folder = await root.getDirectoryHandle('fashion', { create: true });
      for (const file of Array.from(input.files ?? [])) {
        const writable = await (await folder.getFileHandle(file.name, { create: true })).createWritable();
        await writable.write(file);
        await writable.close();
      }
      const start = performance.now();
      const bundle = await FashionMNIST.load({ path: '', dtype: 'uint8' }, directoryHandleSource(root as unknown as Parameters<typeof directoryHandleSource>[0]));
      window.handleResult = { ms: performance.now() - start, train: bundle.train.count, test: bundle.test.count };
    } catch (error) {
      window.handleResult = { error: String(error) };
    }
  });
}

import { defineConfig } from 'vite';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { motePwa, unminifiedWorkers } from './src/ui/pwa-plugin.ts';

// Cross-origin isolation lets tfjs-wasm use SharedArrayBuffer threads; every server Mote ships sets it.
const crossOriginIsolation = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

export default defineConfig({
  plugins: [svelte(), motePwa()],
  server: { headers: crossOriginIsolation, port: 5173, strictPort: false },
  preview: { headers: crossOriginIsolation, port: 4173, strictPort: false },
  worker: { format: 'es', plugins: () => [unminifiedWorkers()] },
  build: { target: 'es2022', sourcemap: true },
});

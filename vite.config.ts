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
  worker: {
    format: 'es',
    plugins: () => [unminifiedWorkers()],
    rolldownOptions: {
      checks: { bundlerTimings: false },
      // The in-browser compiler's loader chunk is named for what it is, so the service worker leaves it out of
      // the precache with the rest of @yowasp/clang (fetched on first use of the generated-C route only).
      output: { chunkFileNames: (chunk) => (chunk.moduleIds.some((id) => id.includes('/@yowasp/clang/')) ? 'assets/yowasp-clang-[hash].js' : 'assets/[name]-[hash].js') },
    },
  },
  build: {
    target: 'es2022',
    sourcemap: true,
    // The PWA plugin's precache step is slow by design (it hashes every asset once); Rolldown's timing report
    // of it is pages of noise in `npm start`, so it is off. Real warnings still print.
    rolldownOptions: {
      checks: { bundlerTimings: false },
      onLog(level, log, handler) {
        // @yowasp/clang imports node:fs/promises only on its Node code path (behind a runtime check); the
        // browser build never reaches it, so Vite's "externalized for browser compatibility" note is noise.
        if (level === 'warn' && /node:fs\/promises" has been externalized/.test(log.message) && log.message.includes('@yowasp/clang')) return;
        handler(level, log);
      },
    },
  },
});

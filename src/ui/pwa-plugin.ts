// The PWA: an installable manifest and a service worker that precaches the app shell, the embedded dataset,
// the tfjs wasm binaries, the Mote Runtime's wasm image and its images for physical boards (.bin/.uf2/.hex,
// about 150 kB together: the Boards page's Install works offline), and caches the in-browser C compiler once it has
// been fetched, so Mote works offline from the first visit — the default Run included (runtime route) — and
// the generated-C route on the Wasm board after its first Run. Used by vite.config.ts.
import { VitePWA } from 'vite-plugin-pwa';

export function motePwa() {
  return VitePWA({
    registerType: 'autoUpdate',
    injectRegister: false, // src/ui/pwa-register.ts registers it, after the app has painted
    manifest: {
      name: 'Mote — TinyML workbench',
      short_name: 'Mote',
      description: 'Train, quantize and deploy tiny neural networks from your browser, with Qualia experiments.',
      theme_color: '#0f766e',
      background_color: '#f6f7f9',
      display: 'standalone',
      start_url: '.',
      scope: '.',
      icons: [
        { src: 'icons/icon-192.png', sizes: '192x192', type: 'image/png' },
        { src: 'icons/icon-512.png', sizes: '512x512', type: 'image/png' },
        { src: 'icons/maskable-512.png', sizes: '512x512', type: 'image/png', purpose: 'maskable' },
        { src: 'icons/icon.svg', sizes: 'any', type: 'image/svg+xml' },
      ],
    },
    workbox: {
      // bin/uf2/hex: the Mote Runtime images Install writes to an ESP32-C3, a Pico, a Nucleo (runtime-images.ts).
      globPatterns: ['**/*.{js,css,html,svg,png,webmanifest,wasm,gz,csv,bin,uf2,hex}'],
      // The training worker (tfjs) and the wasm backends are a few MB; the in-browser C compiler is not
      // precached (about 100 MB): it is fetched when first used.
      globIgnores: ['**/*clang*', '**/*yowasp*', '**/llvm*'],
      maximumFileSizeToCacheInBytes: 16 * 1024 * 1024,
      // ...and kept once fetched, so the Wasm board builds offline afterwards. File names carry a content
      // hash, so a cached copy never goes stale.
      runtimeCaching: [{
        urlPattern: ({ url }: { url: URL }) => /\/assets\/(llvm|clang|yowasp)[^/]*$/.test(url.pathname),
        handler: 'CacheFirst',
        options: { cacheName: 'mote-clang-toolchain', cacheableResponse: { statuses: [200] } },
      }],
      // The first page takes the service worker as soon as it is active: offline from the first load, with no
      // reload (the default Run needs nothing beyond the precache: the Mote Runtime's wasm image is in it).
      clientsClaim: true,
      navigateFallback: 'index.html',
      cleanupOutdatedCaches: true,
    },
  });
}

/**
 * Worker bundles are built without minification: tfjs-wasm's threaded backend starts its pthread workers
 * from its own source text, and the minifier renames a variable that text relies on ("e is not defined";
 * platform-notes §1b, tensorflow/tfjs#4107). Workers load lazily, so only their size on disk grows.
 */
export function unminifiedWorkers() {
  return {
    name: 'mote-unminified-workers',
    outputOptions(options: Record<string, unknown>) {
      return { ...options, minify: false };
    },
  };
}

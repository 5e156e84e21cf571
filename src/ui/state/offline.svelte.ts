// What of Mote works without a network, part by part, as the service worker's caches say: the app itself
// (precached when the service worker installs), the in-browser C compiler (about 100 MB, cached when first
// fetched, which "fetch ahead" does now), and the built-in dataset (precached with the app; datasets you
// import or record live in this browser's storage anyway).

export type Readiness = 'ready' | 'missing' | 'fetching' | 'failed' | 'unsupported' | 'checking';

/** The service worker's cache of the compiler's files (vite's runtimeCaching, pwa-plugin.ts). */
const COMPILER_CACHE = 'mote-clang-toolchain';
/** The compiler is its resources archive and its core wasm modules. */
const COMPILER_FILES = [/\/llvm-resources[^/]*\.tar$/, /\/llvm\.core[^/]*\.wasm$/];
const BUILT_IN_DATASET = new URL('../../core/data/embedded/digits.csv.gz', import.meta.url).href;

class OfflineStatus {
  app = $state<Readiness>('checking');
  compiler = $state<Readiness>('checking');
  datasets = $state<Readiness>('checking');
  compilerMessage = $state<string | null>(null);

  /** How many of the three parts are ready, for the status bar. */
  get readyCount(): number {
    return [this.app, this.compiler, this.datasets].filter((r) => r === 'ready').length;
  }

  async refresh(): Promise<void> {
    if (typeof navigator === 'undefined' || !('serviceWorker' in navigator) || typeof caches === 'undefined') {
      this.app = this.compiler = this.datasets = 'unsupported';
      return;
    }
    // A controlling service worker has finished installing, and installing is precaching the whole app.
    this.app = navigator.serviceWorker.controller ? 'ready' : 'missing';
    this.datasets = (await caches.match(BUILT_IN_DATASET).catch(() => undefined)) ? 'ready' : 'missing';
    if (this.compiler !== 'fetching') this.compiler = (await this.compilerCached()) ? 'ready' : 'missing';
  }

  private async compilerCached(): Promise<boolean> {
    if (!(await caches.has(COMPILER_CACHE).catch(() => false))) return false;
    const urls = (await (await caches.open(COMPILER_CACHE)).keys()).map((r) => r.url);
    return COMPILER_FILES.every((pattern) => urls.some((url) => pattern.test(url)));
  }

  /** Fetches the compiler now (through the service worker, which keeps it), then checks again. */
  async fetchCompiler(): Promise<void> {
    if (this.compiler === 'fetching') return;
    this.compiler = 'fetching';
    this.compilerMessage = null;
    try {
      const { prepareWasmCompiler } = await import('../../workers/board-client');
      await prepareWasmCompiler();
      // The service worker stores each response as it passes: give the last one a moment to land.
      for (let i = 0; i < 20 && !(await this.compilerCached()); i++) await new Promise((r) => setTimeout(r, 250));
      this.compiler = (await this.compilerCached()) ? 'ready' : 'missing';
      if (this.compiler === 'missing') this.compilerMessage = navigator.serviceWorker?.controller ? 'The compiler loaded, but the offline cache did not keep it (storage full?).' : 'The compiler loaded for this visit; it is kept for offline use once the app is installed for offline use (reload once).';
    } catch (error) {
      this.compiler = 'failed';
      this.compilerMessage = `The compiler could not be fetched: ${(error as Error)?.message ?? String(error)}`;
    }
  }

  watch(): void {
    void this.refresh();
    navigator.serviceWorker?.addEventListener('controllerchange', () => void this.refresh());
    void navigator.serviceWorker?.ready.then(() => this.refresh());
  }
}

export const offline = new OfflineStatus();

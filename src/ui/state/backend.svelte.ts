// What compute this browser offers training: a WebGPU adapter when there is one, WASM otherwise. The backend
// a run actually used comes from the training worker and is shown next to it.

class BackendStatus {
  webgpu = $state<'checking' | 'available' | 'unavailable'>('checking');
  crossOriginIsolated = $state(typeof crossOriginIsolated === 'boolean' ? crossOriginIsolated : false);
  /** The backend of the last (or current) training, as the worker reported it. */
  inUse = $state<string | null>(null);

  async detect(): Promise<void> {
    const gpu = (navigator as Navigator & { gpu?: { requestAdapter(): Promise<unknown> } }).gpu;
    if (!gpu) { this.webgpu = 'unavailable'; return; }
    try {
      this.webgpu = (await gpu.requestAdapter()) ? 'available' : 'unavailable';
    } catch {
      this.webgpu = 'unavailable';
    }
  }

  get preferred(): string {
    if (this.inUse) return this.inUse;
    if (this.webgpu === 'checking') return 'checking…';
    return this.webgpu === 'available' ? 'WebGPU' : 'WASM';
  }
}

export const backendStatus = new BackendStatus();

// The app's handle on the Wasm virtual board worker (one per tab, started on first use).
import * as Comlink from 'comlink';
import type { BoardJob, BoardOutcome, BoardWorkerApi } from './board.worker';

export type { BoardJob, BoardOutcome };

let remote: Comlink.Remote<BoardWorkerApi> | undefined;

function boardWorker(): Comlink.Remote<BoardWorkerApi> {
  if (!remote) remote = Comlink.wrap<BoardWorkerApi>(new Worker(new URL('./board.worker.ts', import.meta.url), { type: 'module', name: 'mote-wasm-board' }));
  return remote;
}

export async function evaluateOnWasmBoard(job: BoardJob, options: { signal?: AbortSignal; onProgress?: (phase: 'build' | 'evaluate', done: number, total: number) => void } = {}): Promise<BoardOutcome> {
  const worker = boardWorker();
  const onAbort = () => void worker.cancel();
  options.signal?.addEventListener('abort', onAbort);
  try {
    return await worker.evaluate(job, options.onProgress ? Comlink.proxy((phase: 'build' | 'evaluate', done: number, total: number) => { options.onProgress!(phase, done, total); }) : undefined);
  } finally {
    options.signal?.removeEventListener('abort', onAbort);
  }
}

// The app's handle on the data worker (one per tab, started on first use).
import * as Comlink from 'comlink';
import type { DataWorkerApi } from './data.worker';

let remote: Comlink.Remote<DataWorkerApi> | undefined;

export function dataWorker(): Comlink.Remote<DataWorkerApi> {
  if (!remote) remote = Comlink.wrap<DataWorkerApi>(new Worker(new URL('./data.worker.ts', import.meta.url), { type: 'module', name: 'mote-data' }));
  return remote;
}

export { Comlink };

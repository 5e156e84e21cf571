// Where pipeline actions read and write their artefacts (out/…, logs/…). In Node it is the current
// directory (Qualia's layout); in the browser the app maps it onto the experiment store.

export interface Workspace {
  readFile(path: string): Promise<Uint8Array>;
  readText(path: string): Promise<string>;
  /** Writes atomically: readers never see half a file, a failure leaves the old file in place. */
  writeFile(path: string, data: Uint8Array | string): Promise<void>;
  exists(path: string): Promise<boolean>;
  /** Absolute location for tools that need a real folder (gcc, QEMU); undefined in the browser. */
  realPath?(path: string): string;
}

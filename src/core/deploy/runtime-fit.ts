// The fit check of the runtime route: before a model blob is sent to a board's Mote Runtime (or the
// runtime is flashed for it), the blob's size and its activation arena (header: arena elements × number
// bytes, docs/model-blob.md) are compared with what the board's runtime image holds (BoardRuntime.holds),
// so a model that cannot fit is refused with both sizes instead of failing on the board mid-transfer.
import { ConfigError } from '../base/errors';
import type { BoardKind } from './board';

const ARENA_ELEMENTS = 36;
const BITS = 12;

/** What the blob needs: its own bytes and its activation arena in bytes. */
export function blobNeeds(blob: Uint8Array): { blobBytes: number; arenaBytes: number } {
  if (blob.length < 64) return { blobBytes: blob.length, arenaBytes: 0 };
  const view = new DataView(blob.buffer, blob.byteOffset, blob.byteLength);
  return { blobBytes: blob.length, arenaBytes: view.getUint32(ARENA_ELEMENTS, true) * (blob[BITS] / 8) };
}

/** Why `blob` does not fit `board`'s runtime, in plain words with both sizes; null when it fits (or the board has no bound). */
export function runtimeMisfit(board: BoardKind, blob: Uint8Array): string | null {
  const holds = board.runtime?.holds;
  if (!holds) return null;
  const needs = blobNeeds(blob);
  const problems: string[] = [];
  if (needs.blobBytes > holds.blobBytes) problems.push(`the model blob is ${needs.blobBytes} bytes and ${board.title}'s Mote Runtime holds a blob of at most ${holds.blobBytes} bytes`);
  if (needs.arenaBytes > holds.arenaBytes) problems.push(`the model needs ${needs.arenaBytes} bytes of activation memory (RAM) and the runtime's arena has ${holds.arenaBytes} bytes`);
  if (!problems.length) return null;
  return `the model does not fit ${board.kind}: ${problems.join('; ')} (what is left of the board's ${board.capacity.ramBytes ?? '?'} bytes of RAM after the runtime's own code, tables and buffers); nothing was sent to the board — make the model smaller (fewer filters or layers, int8) or pick a board with more RAM`;
}

/** Throws ConfigError when the blob does not fit; call before any byte goes to the board. */
export function checkRuntimeFit(board: BoardKind, blob: Uint8Array): void {
  const misfit = runtimeMisfit(board, blob);
  if (misfit) throw new ConfigError(misfit);
}

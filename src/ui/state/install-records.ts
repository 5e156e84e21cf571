// Which boards have the Mote Runtime installed, kept in this browser (IndexedDB 'mote-boards', one record per
// board kind): written only after the install was verified (src/core/deploy/install-state.ts), read by the
// Boards page to say what is on each board and which image.
import Dexie, { type Table } from 'dexie';
import type { InstallRecord } from '../../core/deploy/install-state';

class InstallDb extends Dexie {
  installs!: Table<InstallRecord, string>;
  constructor() {
    super('mote-boards');
    this.version(1).stores({ installs: 'board' });
  }
}

let db: InstallDb | undefined;
const open = () => (db ??= new InstallDb());

export async function readInstalls(): Promise<Record<string, InstallRecord>> {
  const all = await open().installs.toArray();
  return Object.fromEntries(all.map((r) => [r.board, r]));
}

export async function saveInstall(record: InstallRecord): Promise<void> {
  await open().installs.put(record);
}

// The app's shared state: the store, the experiment being edited, its problems, and what the page says
// about storage. Components read these fields; every change goes through the methods so the store and the
// screen never disagree.
import { openDexieStore, type DexieExperimentStore } from '../../core/experiments/dexie-store';
import { StorageFullError, type ExperimentRecord, type RunRecord } from '../../core/experiments/store';
import { experimentNameOf, lintExperiment } from '../editor/lint';
import type { Diagnostic } from '../editor/lint-text';
import { defaultExperiment } from './optional-modules';
import { INTERRUPTED_RUN_ERROR, runLockName } from './run-lock';

const CURRENT_KEY = 'mote.currentExperiment';
const SAVE_DELAY_MS = 400;

export type SaveState = 'saved' | 'saving' | 'unsaved' | 'failed';

export interface Notice {
  id: number;
  tone: 'info' | 'error' | 'success';
  text: string;
}

export class Workbench {
  store: DexieExperimentStore | undefined;
  ready = $state(false);
  fatal = $state<string | null>(null);
  experiments = $state<ExperimentRecord[]>([]);
  current = $state<ExperimentRecord | undefined>(undefined);
  /** The text in the editor; saved to the store shortly after each change. */
  draft = $state('');
  /** Replaced whole on every check, never changed in place: raw, so thousands of problems are not proxied. */
  diagnostics = $state.raw<Diagnostic[]>([]);
  /** True while the draft's problems are being worked out (shown on <html data-mote-lint> for tests and benches). */
  linting = $state(false);
  saveState = $state<SaveState>('saved');
  runs = $state<RunRecord[]>([]);
  persisted = $state<boolean | null>(null);
  storageUse = $state<{ usage: number; quota: number } | null>(null);
  online = $state(typeof navigator === 'undefined' ? true : navigator.onLine);
  notices = $state<Notice[]>([]);

  /** `[bench] name` of the last text the lint worker checked, so saving a large text does not parse it again here. */
  private linted: { text: string; name: string | undefined } | undefined;
  /** A text saved before its check was done: its `[bench] name` becomes the experiment's name when the check ends. */
  private savedUnnamed: string | undefined;
  private saveTimer: ReturnType<typeof setTimeout> | undefined;
  private lintGeneration = 0;
  private noticeId = 0;

  async init(): Promise<void> {
    try {
      this.store = await openDexieStore();
    } catch (error) {
      this.fatal = `Mote cannot open its storage in this browser: ${(error as Error).message}`;
      return;
    }
    addEventListener('online', () => { this.online = true; });
    addEventListener('offline', () => { this.online = false; });
    await this.refreshExperiments();
    await this.closeInterruptedRuns();
    if (this.experiments.length === 0 && defaultExperiment) {
      const record = await this.store.createExperiment({ name: experimentNameOf(defaultExperiment.toml, 'digits'), toml: defaultExperiment.toml, source: defaultExperiment.file });
      await this.refreshExperiments();
      await this.open(record.id);
    } else {
      const remembered = localStorage.getItem(CURRENT_KEY);
      const pick = this.experiments.find((e) => e.id === remembered) ?? this.experiments[0];
      if (pick) await this.open(pick.id);
    }
    this.ready = true;
    void this.checkPersistence();
  }

  /**
   * Runs still marked running whose tab no longer holds their Web Lock were cut short by a reload or a closed
   * tab: they are recorded as cancelled, saying so, instead of looking busy forever.
   */
  private async closeInterruptedRuns(): Promise<void> {
    const locks = (navigator as Navigator & { locks?: LockManager }).locks;
    if (!this.store || !locks) return;
    const held = new Set(((await locks.query()).held ?? []).map((l) => l.name));
    for (const experiment of this.experiments) {
      for (const run of await this.store.listRuns(experiment.id)) {
        if (run.status !== 'running' || held.has(runLockName(run.id))) continue;
        await this.store.updateRun(run.id, { status: 'cancelled', error: INTERRUPTED_RUN_ERROR, finishedAt: new Date().toISOString() }).catch(() => undefined);
      }
    }
  }

  /** Asks the browser to keep Mote's data under storage pressure; the answer is shown in the status bar. */
  async checkPersistence(ask = false): Promise<void> {
    const storage = navigator.storage;
    if (!storage?.persisted) return;
    this.persisted = await storage.persisted();
    if (!this.persisted && (ask || this.experiments.length > 0)) this.persisted = await storage.persist().catch(() => false);
    // Asked by the person: the browser's answer is said, whichever it is (the status bar alone changes quietly).
    if (ask) {
      this.notify(this.persisted ? 'success' : 'info', this.persisted
        ? 'Storage is now persistent: the browser will not clear Mote\'s experiments, runs and datasets to free space.'
        : 'The browser kept storage at "best effort" (it decides by how you use the site: installing Mote or bookmarking it usually lets it say yes). Your data stays unless space runs out; export experiments from the Share page to keep a copy.');
    }
    const estimate = await storage.estimate?.().catch(() => undefined);
    if (estimate?.quota) this.storageUse = { usage: estimate.usage ?? 0, quota: estimate.quota };
  }

  notify(tone: Notice['tone'], text: string): void {
    const id = ++this.noticeId;
    this.notices = [...this.notices, { id, tone, text }];
    if (tone !== 'error') setTimeout(() => this.dismiss(id), 6000);
  }

  dismiss(id: number): void {
    this.notices = this.notices.filter((n) => n.id !== id);
  }

  /** Reports a failed store operation in words; a full quota says nothing saved was lost. */
  private report(error: unknown, doing: string): void {
    const message = error instanceof StorageFullError ? error.message : `${doing} failed: ${(error as Error)?.message ?? String(error)}`;
    this.notify('error', message);
  }

  async refreshExperiments(): Promise<void> {
    if (!this.store) return;
    this.experiments = await this.store.listExperiments();
  }

  async refreshRuns(): Promise<void> {
    this.runs = this.store && this.current ? await this.store.listRuns(this.current.id) : [];
  }

  async open(id: string): Promise<void> {
    await this.flush();
    const record = await this.store?.getExperiment(id);
    if (!record) { this.notify('error', 'That experiment no longer exists (deleted in another tab?).'); return; }
    this.current = record;
    this.draft = record.toml;
    this.savedUnnamed = undefined;
    this.saveState = 'saved';
    localStorage.setItem(CURRENT_KEY, id);
    await Promise.all([this.lint(), this.refreshRuns()]);
  }

  /**
   * Called on every edit: lint now, save soon. A paste is one deliberate change, saved at once rather than
   * after the typing pause (a 400 KB paste is checked and saved within a second).
   */
  edit(text: string, how: { paste?: boolean } = {}): void {
    if (text === this.draft) return;
    this.draft = text;
    this.saveState = 'unsaved';
    clearTimeout(this.saveTimer);
    if (how.paste) void this.flush();
    else this.saveTimer = setTimeout(() => void this.flush(), SAVE_DELAY_MS);
    void this.lint();
  }

  /** Saves the draft now if it changed (before running, switching experiment, or leaving). */
  async flush(): Promise<void> {
    clearTimeout(this.saveTimer);
    const current = this.current;
    if (!this.store || !current || this.draft === current.toml) { if (this.saveState === 'unsaved') this.saveState = 'saved'; return; }
    this.saveState = 'saving';
    const text = this.draft;
    try {
      // The name comes from the lint worker's parse; a text saved before its check ends is named when it ends
      // (parsing a large text here would hold up the page).
      const checked = this.linted?.text === text;
      const name = checked ? this.linted!.name ?? current.name : current.name;
      this.savedUnnamed = checked ? undefined : text;
      const saved = await this.store.updateExperiment(current.id, { toml: text, name });
      if (this.current?.id === saved.id) this.current = saved;
      this.saveState = this.draft === text ? 'saved' : 'unsaved';
      await this.nameSavedText();
      await this.refreshExperiments();
    } catch (error) {
      this.saveState = 'failed';
      this.report(error, 'Saving the experiment');
    }
  }

  async lint(): Promise<void> {
    const generation = ++this.lintGeneration;
    this.linting = true;
    const file = this.current ? `${this.current.name}.toml` : 'experiment.toml';
    const text = this.draft;
    let result;
    try {
      result = await lintExperiment(text, file, false);
    } catch (error) {
      result = { diagnostics: [{ file, line: 1, column: 1, path: '', severity: 'error' as const, message: `Mote could not check this text: ${(error as Error)?.message ?? String(error)}` }], name: undefined };
    }
    if (generation !== this.lintGeneration) return; // a newer edit already has its own result
    this.linted = { text, name: result.name };
    this.diagnostics = result.diagnostics;
    this.linting = false;
    if (await this.nameSavedText()) await this.refreshExperiments();
  }

  /** Gives a text saved before its check ended the `[bench] name` the check found; true if it renamed. */
  private async nameSavedText(): Promise<boolean> {
    const current = this.current;
    const text = this.savedUnnamed;
    if (!this.store || !current || text === undefined || this.linted?.text !== text || current.toml !== text) return false;
    this.savedUnnamed = undefined;
    const name = this.linted.name;
    if (!name || name === current.name) return false;
    try {
      const saved = await this.store.updateExperiment(current.id, { name });
      if (this.current?.id === saved.id) this.current = saved;
      return true;
    } catch (error) {
      this.report(error, 'Saving the experiment');
      return false;
    }
  }

  /** Replaces the whole text of the open experiment (a pasted or shared one) and says where it came from now. */
  async replaceText(text: string, source: string): Promise<void> {
    const current = this.current;
    if (!this.store || !current) return;
    clearTimeout(this.saveTimer);
    this.draft = text;
    this.saveState = 'saving';
    void this.lint();
    try {
      this.current = await this.store.updateExperiment(current.id, { toml: text, source, name: experimentNameOf(text, current.name) });
      this.saveState = this.draft === text ? 'saved' : 'unsaved';
      await this.refreshExperiments();
    } catch (error) {
      this.saveState = 'failed';
      this.report(error, 'Saving the experiment');
    }
  }

  async create(input: { name: string; toml: string; source: string }): Promise<ExperimentRecord | undefined> {
    if (!this.store) return;
    try {
      const record = await this.store.createExperiment(input);
      await this.refreshExperiments();
      await this.open(record.id);
      return record;
    } catch (error) {
      this.report(error, 'Creating the experiment');
    }
  }

  async duplicate(id: string): Promise<void> {
    if (!this.store) return;
    try {
      await this.flush();
      const copy = await this.store.duplicateExperiment(id);
      await this.refreshExperiments();
      this.notify('success', `Created “${copy.name}”.`);
    } catch (error) {
      this.report(error, 'Duplicating the experiment');
    }
  }

  async remove(id: string): Promise<void> {
    if (!this.store) return;
    try {
      await this.store.deleteExperiment(id);
      await this.refreshExperiments();
      if (this.current?.id === id) {
        this.current = undefined;
        this.draft = '';
        this.runs = [];
        if (this.experiments[0]) await this.open(this.experiments[0].id);
      }
    } catch (error) {
      this.report(error, 'Deleting the experiment');
    }
  }

  async rename(id: string, name: string): Promise<void> {
    if (!this.store || !name.trim()) return;
    try {
      const saved = await this.store.updateExperiment(id, { name: name.trim() });
      if (this.current?.id === id) this.current = saved;
      await this.refreshExperiments();
    } catch (error) {
      this.report(error, 'Renaming the experiment');
    }
  }

  get errorCount(): number {
    return this.diagnostics.filter((d) => d.severity === 'error').length;
  }
}

export const workbench = new Workbench();

// The Boards page's physical boards: one entry per registry board that a person plugs in (it declares how the
// runtime is installed, or is reached over Web Serial), what Connect found on the port (USB ids → board,
// src/core/deploy/usb-ids.ts), and installing the Mote Runtime on it (src/core/deploy/install-state.ts drives
// the steps; src/devices/esp32c3-flasher.ts and drive-install.ts do the work). Nothing here names a board.
import type { BoardKind } from '../../core/deploy/board';
import { etaText, idleInstall, isPhysical, installRecord, installStep, type InstallEvent, type InstallRecord, type InstallState } from '../../core/deploy/install-state';
import { identifyUsb, type UsbIdentification } from '../../core/deploy/usb-ids';
import { CancelledError } from '../../core/base/errors';
import type { FlashablePort } from '../../devices/esp32c3-flasher';
import { fetchRuntimeImage, hasRuntimeImage } from './runtime-images';
import type { DeployResult } from '../../core/experiments/results';
import type { ExperimentStore, RunRecord } from '../../core/experiments/store';
import type { Experiment } from '../../core/config/experiment';
import { TransportError } from '../../core/evaluation/transport';

export interface BoardEntry {
  install: InstallState;
  /** What Connect found on the chosen port; null before Connect. */
  identified: UsbIdentification | null;
  /** Whether that port is this card's board. */
  matches: boolean | null;
  record: InstallRecord | null;
  /** An image file the person chose instead of the app's prebuilt one. */
  chosenImage: { name: string; bytes: number } | null;
  /** The person put the board in download mode with its BOOT button (esptool without a reset). */
  bootHeld: boolean;
  /** A sentence about the last Connect (no port chosen, …). */
  connectMessage: string | null;
  /** The 1200-baud touch into the board's drive (BoardInstall.touchBaud), before the drive copy. */
  touch: { phase: 'idle' | 'touching' | 'gone' | 'stayed' | 'sent' | 'failed'; message: string | null };
  /** Evaluating a Run's model on the installed runtime. */
  evaluation: {
    phase: 'idle' | 'preparing' | 'loading' | 'evaluating' | 'done' | 'failed' | 'cancelled';
    sent: number; total: number; done: number; vectors: number; etaSeconds?: number;
    message: string | null;
    row: DeployResult | null;
  };
}

/** What evaluating needs of the workbench (as the Boards page's other connections). */
export interface RunsHost {
  store: ExperimentStore | undefined;
  runs: RunRecord[];
  refreshRuns(): Promise<void>;
}

type SerialLike = { requestPort(): Promise<FlashablePort> };

class Installs {
  boards = $state.raw<BoardKind[]>([]);
  entries = $state<Record<string, BoardEntry>>({});
  readonly webSerial = typeof navigator !== 'undefined' && 'serial' in navigator;
  readonly driveAccess = typeof globalThis !== 'undefined' && 'showDirectoryPicker' in globalThis;
  readonly webUsb = typeof navigator !== 'undefined' && 'usb' in navigator;
  private ports = new Map<string, FlashablePort>();
  private images = new Map<string, { name: string; bytes: Uint8Array }>();
  private controllers = new Map<string, AbortController>();
  private loading: Promise<void> | undefined;

  /** Reads the registry's physical boards and what this browser recorded as installed. */
  load(): Promise<void> {
    this.loading ??= (async () => {
      const [{ allBoards }, { readInstalls }] = await Promise.all([import('../../core/deploy/registry'), import('./install-records')]);
      const records = await readInstalls().catch(() => ({} as Record<string, InstallRecord>));
      const boards = allBoards().filter(isPhysical);
      for (const board of boards) {
        this.entries[board.kind] ??= { install: idleInstall, identified: null, matches: null, record: records[board.kind] ?? null, chosenImage: null, bootHeld: false, connectMessage: null, touch: { phase: 'idle', message: null }, evaluation: { phase: 'idle', sent: 0, total: 0, done: 0, vectors: 0, message: null, row: null } };
      }
      this.boards = boards;
    })();
    return this.loading;
  }

  /** Whether the app ships this board's runtime image, or the person chose one. */
  imageOf(board: BoardKind): string | null {
    const chosen = this.entries[board.kind]?.chosenImage;
    if (chosen) return chosen.name;
    return board.runtime && hasRuntimeImage(board.runtime.image) ? board.runtime.image : null;
  }

  /** Why Install cannot start now, in words; '' when it can. */
  installBlocker(board: BoardKind): string {
    const install = board.install;
    if (!install) return 'Mote cannot install this board from the browser yet (its board file declares no install method).';
    if (!this.imageOf(board)) return board.runtime ? `This app has no ${board.runtime.image} image; choose an image file built for this board.` : 'This app has no Mote Runtime image for this board yet; choose an image file built for it.';
    if (install.method === 'esptool' && !this.webSerial) return 'This browser has no Web Serial: use Chrome or Edge on a desktop.';
    if (install.method === 'daplink-webusb' && !this.webUsb) return 'This browser has no WebUSB: use Chrome or Edge on a desktop.';
    if ((install.method === 'uf2-drive' || install.method === 'file-drive') && !this.driveAccess) return 'This browser cannot write to the board\'s drive (no File System Access API): use Chrome or Edge on a desktop.';
    return '';
  }

  /** Why the touch cannot be sent now, in words; '' when it can. */
  touchBlocker(board: BoardKind): string {
    if (!board.install?.touchBaud) return 'This board has no serial touch into its drive.';
    if (!this.webSerial) return 'This browser has no Web Serial: use Chrome or Edge on a desktop.';
    return '';
  }

  /**
   * Restarts a board that runs the Mote Runtime into its drive (call from a click: it may ask for the port):
   * the port opened at the board's touch baud and closed (src/devices/drive-touch.ts). The drive copy is then
   * the Install button's, from its own click (the browser's drive picker needs one).
   */
  async touch(board: BoardKind): Promise<void> {
    const entry = this.entries[board.kind];
    const install = board.install;
    if (!entry || !install?.touchBaud || this.touchBlocker(board) || entry.touch.phase === 'touching') return;
    const instead = `If no drive appears: ${install.steps}, then Install Mote Runtime.`;
    entry.touch = { phase: 'touching', message: `opening the board's serial port at ${install.touchBaud} baud and closing it…` };
    try {
      let port = this.ports.get(board.kind);
      if (!port) {
        entry.touch.message = 'choose the board\'s serial port (the Mote Runtime\'s USB port) in the browser\'s dialog…';
        const { explainNoPort } = await import('../../devices/esp32c3-flasher');
        try { port = await (navigator as Navigator & { serial: SerialLike }).serial.requestPort(); } catch (error) { throw explainNoPort(error); }
      }
      const { touchIntoDrive } = await import('../../devices/drive-touch');
      const { gone } = await touchIntoDrive(port as never, { baudRate: install.touchBaud });
      // A board that took the touch has left the bus; a new port comes back with the runtime.
      if (gone !== false) this.ports.delete(board.kind);
      entry.touch = gone === true
        ? { phase: 'gone', message: `The board left its serial port: it is restarting as its drive. Now Install Mote Runtime and choose that drive. ${instead}` }
        : gone === false
          ? { phase: 'stayed', message: `The board kept its serial port, so it did not restart (it may not be running the Mote Runtime, or this is another port). ${instead}` }
          : { phase: 'sent', message: `Touch sent. If a drive appears, Install Mote Runtime and choose it. ${instead}` };
    } catch (error) {
      entry.touch = { phase: 'failed', message: `${plain((error as Error).message)} ${instead}` };
    }
  }

  private dispatch(kind: string, event: InstallEvent): void {
    const entry = this.entries[kind];
    if (entry) entry.install = installStep(entry.install, event);
  }

  /** Asks for a serial port (call from a click) and says which board it is, from its USB ids. */
  async connect(board: BoardKind): Promise<void> {
    const entry = this.entries[board.kind];
    const serial = (navigator as Navigator & { serial?: SerialLike }).serial;
    if (!entry) return;
    if (!serial) { entry.connectMessage = 'This browser has no Web Serial: use Chrome or Edge on a desktop.'; return; }
    let port: FlashablePort;
    try {
      port = await serial.requestPort();
    } catch (error) {
      const { explainNoPort } = await import('../../devices/esp32c3-flasher');
      entry.connectMessage = `No board connected: ${explainNoPort(error).message}.`;
      return;
    }
    this.ports.set(board.kind, port);
    const identified = identifyUsb(port.getInfo(), this.boards);
    entry.identified = identified;
    entry.matches = identified.boards.length ? identified.boards.some((b) => b.kind === board.kind) : null;
    entry.connectMessage = null;
  }

  /** Keeps an image file the person chose (one built with `mote flash` or the hosted toolchain). */
  async chooseImage(board: BoardKind, file: File): Promise<void> {
    const bytes = new Uint8Array(await file.arrayBuffer());
    this.images.set(board.kind, { name: file.name, bytes });
    this.entries[board.kind].chosenImage = { name: file.name, bytes: bytes.length };
  }

  private async image(board: BoardKind): Promise<{ name: string; bytes: Uint8Array }> {
    const chosen = this.images.get(board.kind);
    if (chosen) return chosen;
    const name = board.runtime!.image;
    return { name, bytes: await fetchRuntimeImage(name) };
  }

  /** Installs the runtime (call from a click: it may ask for a port or a drive). */
  async install(board: BoardKind): Promise<void> {
    const entry = this.entries[board.kind];
    const install = board.install;
    if (!entry || !install || this.installBlocker(board)) return;
    const phase = entry.install.phase;
    if (phase === 'connecting' || phase === 'writing' || phase === 'verifying') return;
    this.dispatch(board.kind, { type: 'reset' });
    const controller = new AbortController();
    this.controllers.set(board.kind, controller);
    const progress = (p: { written: number; total: number; etaSeconds?: number }) => {
      if (controller.signal.aborted) throw new CancelledError('the install was cancelled');
      this.dispatch(board.kind, { type: 'progress', ...p });
    };
    try {
      if (install.method === 'esptool') {
        const { flashEsp32c3, explainNoPort } = await import('../../devices/esp32c3-flasher');
        let port = this.ports.get(board.kind);
        if (!port) {
          this.dispatch(board.kind, { type: 'start', activity: 'choose the board\'s serial port in the browser\'s dialog…' });
          try {
            port = await (navigator as Navigator & { serial: SerialLike }).serial.requestPort();
          } catch (error) {
            throw explainNoPort(error);
          }
          this.ports.set(board.kind, port);
          entry.identified = identifyUsb(port.getInfo(), this.boards);
          entry.matches = entry.identified.boards.length ? entry.identified.boards.some((b) => b.kind === board.kind) : null;
        }
        this.dispatch(board.kind, { type: 'start', activity: entry.bootHeld ? 'talking to the board in download mode…' : 'resetting the board into its download mode…' });
        const image = await this.image(board);
        const info = port.getInfo();
        await flashEsp32c3(port, image.bytes, {
          address: install.address, before: entry.bootHeld ? 'no_reset' : 'default_reset',
          onProgress: (p) => {
            progress(p);
            if (p.written >= p.total) this.dispatch(board.kind, { type: 'verifying', activity: 'checking the flash reads back as written (MD5)…' });
          },
        });
        if (controller.signal.aborted) throw new CancelledError('the install was cancelled');
        await this.verified(board, image, info.usbVendorId !== undefined ? identifyUsb(info, this.boards).ids : null);
      } else if (install.method === 'daplink-webusb') {
        // WebUSB to the board's DAPLink chip (@microbit/microbit-connection): the browser's chooser, then a full flash.
        const { flashMicrobit } = await import('../../devices/microbit-flasher');
        this.dispatch(board.kind, { type: 'start', activity: 'choose the micro:bit ("BBC micro:bit CMSIS-DAP") in the browser\'s dialog…' });
        const image = await this.image(board);
        await flashMicrobit(image.bytes, {
          signal: controller.signal,
          onProgress: (p) => {
            progress(p);
            if (p.written >= p.total) this.dispatch(board.kind, { type: 'verifying', activity: 'DAPLink is closing the stream and restarting the micro:bit…' });
          },
        });
        if (controller.signal.aborted) throw new CancelledError('the install was cancelled');
        this.dispatch(board.kind, { type: 'verifying', activity: 'DAPLink took the whole image; recording it…' });
        await this.verified(board, image, '0d28:0204');
      } else {
        const { pickDrive, copyToDrive } = await import('../../devices/drive-install');
        this.dispatch(board.kind, { type: 'start', activity: 'choose the board\'s drive in the browser\'s dialog…' });
        const drive = await pickDrive(install);
        const image = await this.image(board);
        await copyToDrive(drive, install, image.name, image.bytes, { onProgress: progress, signal: controller.signal });
        this.dispatch(board.kind, { type: 'verifying', activity: 'the drive took the whole image; recording it…' });
        await this.verified(board, image, null);
      }
    } catch (error) {
      const cancelled = controller.signal.aborted || error instanceof CancelledError || (error as { cause?: unknown })?.cause instanceof CancelledError;
      if (cancelled) this.dispatch(board.kind, { type: 'cancelled' });
      else this.dispatch(board.kind, { type: 'failed', message: plain((error as Error).message) });
    } finally {
      this.controllers.delete(board.kind);
    }
  }

  private async verified(board: BoardKind, image: { name: string; bytes: Uint8Array }, usb: string | null): Promise<void> {
    const record = installRecord(board.kind, board.install!, image, usb);
    const { saveInstall } = await import('./install-records');
    await saveInstall(record);
    this.entries[board.kind].record = record;
    this.dispatch(board.kind, { type: 'verified', record });
  }

  /** Why a Run's model cannot be evaluated on the board now; '' when it can. */
  evaluateBlocker(board: BoardKind): string {
    const entry = this.entries[board.kind];
    if (!board.runtime) return 'This board has no Mote Runtime image yet, so it cannot load models.';
    if (!entry?.record) return 'Install the Mote Runtime on the board first.';
    if (!this.webSerial) return 'This browser has no Web Serial: use Chrome or Edge on a desktop.';
    return '';
  }

  /** Loads the latest run's model into the board's runtime over Web Serial and evaluates it (call from a click). */
  async evaluate(board: BoardKind, host: RunsHost): Promise<void> {
    const entry = this.entries[board.kind];
    if (!entry || this.evaluateBlocker(board)) return;
    const ev = entry.evaluation;
    if (ev.phase === 'preparing' || ev.phase === 'loading' || ev.phase === 'evaluating') return;
    Object.assign(ev, { phase: 'preparing', sent: 0, total: 0, done: 0, vectors: 0, etaSeconds: undefined, message: 'reading the run\'s model and test set…', row: null });
    const controller = new AbortController();
    this.controllers.set(`${board.kind}:evaluate`, controller);
    let transport: (import('../../core/evaluation/transport').ByteTransport & { readonly isClosed: boolean }) | undefined;
    try {
      if (!host.store) throw new Error('the browser storage is not open yet; wait a moment and try again');
      await host.refreshRuns();
      const [{ latestRuntimeRun, prepareRuntimeModel, evaluateBlobOverLink, recordRuntimeResult }, { openWebSerial }, { parseOrThrow }] = await Promise.all([
        import('./runtime-evaluation'), import('../../devices/webserial-transport'), import('../../core/base/schema'),
      ]);
      const run = latestRuntimeRun(host.runs);
      if (!run) throw new Error('no run of this experiment has prepared a model yet: press Run (converter MoteRuntime, the default), then evaluate here');
      const model = await prepareRuntimeModel(host.store, run, board, async (experiment: Experiment) => {
        const { browserDataEnvironment } = await import('./pipeline-environment');
        return browserDataEnvironment().load(experiment);
      });
      let port = this.ports.get(board.kind);
      if (!port) {
        const { explainNoPort } = await import('../../devices/esp32c3-flasher');
        try { port = await (navigator as Navigator & { serial: SerialLike }).serial.requestPort(); } catch (error) { throw explainNoPort(error); }
        this.ports.set(board.kind, port);
      }
      const baud = board.serial?.(parseOrThrow(board.evaluatorParams, {}, 'deploy.evaluator.params') as never).baudrate ?? 115200;
      transport = await openWebSerial(port as never, baud);
      Object.assign(ev, { phase: 'loading', total: model.blob.length, vectors: model.vectors.length, message: null });
      const result = await evaluateBlobOverLink({
        transport, blob: model.blob, vectors: model.vectors, labels: model.labels, reference: model.reference, signal: controller.signal,
        onLoad: (p) => { ev.sent = p.sent; ev.total = p.total; },
        onProgress: (p) => { ev.phase = 'evaluating'; ev.done = p.done; ev.vectors = p.total; ev.etaSeconds = p.etaSeconds; },
      });
      ev.row = await recordRuntimeResult(host.store, model, board, result);
      await host.refreshRuns();
      Object.assign(ev, { phase: 'done', message: `Model loaded in ${(result.loadMs / 1000).toFixed(1)} s (${result.chunks} chunks) and evaluated on ${result.report.n} vectors; saved in the run as target ${board.kind}.` });
    } catch (error) {
      if (controller.signal.aborted || error instanceof CancelledError) Object.assign(ev, { phase: 'cancelled', message: 'Evaluation cancelled; nothing from it was saved (earlier results are kept).' });
      else {
        // Lost only once the port was open: a port that would not open (busy, gone) says so in its own words.
        const lost = transport !== undefined && (transport.isClosed || error instanceof TransportError);
        Object.assign(ev, { phase: 'failed', message: `${lost ? 'The board connection was lost' : 'The evaluation did not run'}: ${(error as Error).message.replace(/\.$/, '')}. Nothing from this evaluation was saved; earlier results are kept${lost ? ' — plug the board back in and evaluate again' : ''}.` });
      }
    } finally {
      this.controllers.delete(`${board.kind}:evaluate`);
      await transport?.close().catch(() => undefined);
    }
  }

  cancelEvaluation(board: BoardKind): void {
    this.controllers.get(`${board.kind}:evaluate`)?.abort();
  }

  cancel(board: BoardKind): void {
    this.controllers.get(board.kind)?.abort();
  }

  /** Progress in words for the page. */
  progressText(state: InstallState): string {
    if (state.phase !== 'writing') return '';
    const kib = (n: number) => `${(n / 1024).toFixed(1)} KiB`;
    const eta = etaText(state.etaSeconds);
    return `${kib(state.written)} of ${kib(state.total)} written${eta ? `, ${eta}` : ''}`;
  }
}

/** A sentence that starts with a capital and ends with a full stop. */
function plain(message: string): string {
  const text = message.trim().replace(/\.$/, '');
  return `${text.charAt(0).toUpperCase()}${text.slice(1)}.`;
}

export const installs = new Installs();

// Board connections this browser can make, the one in use, and evaluations on it. Transports belong to the
// firmware area (src/devices/webserial-transport.ts, websocket-transport.ts, hosted-board.ts); the Wasm board
// runs as the last stage of Run (runner.svelte.ts), which reports here too.

import type { EvaluationProgress, SampleReport } from '../../core/evaluation/evaluator';
import type { Hello } from '../../core/evaluation/protocol-v1';
import type { DataBundle } from '../../core/data/bundle';
import type { Experiment } from '../../core/config/experiment';
import type { DeployResult } from '../../core/experiments/results';
import type { ExperimentStore, RunRecord } from '../../core/experiments/store';
import type { BoardConnection, BoardKind } from './board-connection';
import type { BoardModel } from './board-model';
import { CancelledError } from '../../core/base/errors';
import { TransportError } from '../../core/evaluation/transport';

export const DEFAULT_TOOLCHAIN_URL = 'http://127.0.0.1:8787';

/** What the Boards page needs of the workbench (passed in, so this module does not import the session). */
export interface BoardsHost {
  store: ExperimentStore | undefined;
  runs: RunRecord[];
  refreshRuns(): Promise<void>;
}

type Phase = 'idle' | 'connecting' | 'connected' | 'evaluating';

/** Runs the experiment's dataset and [[preprocessing]] again in the data worker for its test split (as Run does). */
async function loadTestData(experiment: Experiment): Promise<DataBundle> {
  const { browserDataEnvironment } = await import('./pipeline-environment');
  return browserDataEnvironment().load(experiment);
}

class Boards {
  /** The board in use, for the status bar; null when none. */
  connected = $state<string | null>(null);
  /** The last on-target evaluation of this tab, with the class names of its dataset. */
  report = $state<{ evaluation: SampleReport; classNames: string[]; board?: string } | null>(null);
  readonly webSerial = typeof navigator !== 'undefined' && 'serial' in navigator;
  readonly webUsb = typeof navigator !== 'undefined' && 'usb' in navigator;

  toolchainUrl = $state(DEFAULT_TOOLCHAIN_URL);
  phase = $state<Phase>('idle');
  /** Which connection is connecting / connected. */
  kind = $state<BoardKind | null>(null);
  /** What is happening now, in words. */
  activity = $state('');
  error = $state<string | null>(null);
  notice = $state<string | null>(null);
  hello = $state.raw<Hello | null>(null);
  model = $state.raw<{ dir: string; hash: number; vectors: number; runId: string } | null>(null);
  progress = $state.raw<EvaluationProgress | null>(null);
  lastRow = $state.raw<DeployResult | null>(null);
  /** The generated models of the latest run that generated C, and the one to evaluate. */
  models = $state.raw<{ dir: string; label: string }[]>([]);
  chosenDir = $state<string | undefined>(undefined);
  /** The build log of the hosted board's firmware. */
  buildLog = $state('');

  private connection: BoardConnection | undefined;
  private boardModel: BoardModel | undefined;
  private controller: AbortController | undefined;

  get busy(): boolean {
    return this.phase === 'connecting' || this.phase === 'evaluating';
  }

  /** Lists the generated models of the latest run that generated C (for the page's model picker). */
  async refreshModels(host: BoardsHost): Promise<void> {
    const { latestDeployableRun, generatedModelsOf } = await import('./board-model');
    const run = latestDeployableRun(host.runs);
    if (!run || !host.store) { this.models = []; return; }
    try {
      this.models = await generatedModelsOf(host.store, run);
    } catch {
      this.models = []; // connecting says why in words
    }
    if (!this.models.some((m) => m.dir === this.chosenDir)) this.chosenDir = this.models[0]?.dir;
  }

  private async prepareModel(host: BoardsHost): Promise<BoardModel> {
    const store = host.store;
    if (!store) throw new Error('the browser storage is not open yet; wait a moment and try again');
    await host.refreshRuns();
    const { latestDeployableRun, loadBoardModel } = await import('./board-model');
    const run = latestDeployableRun(host.runs);
    if (!run) throw new Error('no run of this experiment has generated C yet: press Run with converter.kind = "QualiaCodeGen" (its "Quantize and prepare the model" stage writes the C a board evaluates), then connect');
    this.activity = 'loading the run\'s generated model and its test vectors…';
    const model = await loadBoardModel(store, run, loadTestData, this.models.some((m) => m.dir === this.chosenDir) ? this.chosenDir : undefined);
    this.model = { dir: model.job.dir, hash: model.hash, vectors: model.board.vectors.length, runId: run.id };
    return model;
  }

  /** Web Serial: asks the person for a port (call from a click), opens it at 921600 8N1, checks HELLO. */
  async connectSerial(host: BoardsHost): Promise<void> {
    if (this.busy || this.phase === 'connected') return;
    const serial = (navigator as Navigator & { serial?: { requestPort(): Promise<import('../../devices/webserial-transport').SerialPortLike> } }).serial;
    if (!serial) { this.error = 'This browser has no Web Serial (use Chrome or Edge on a desktop).'; return; }
    this.start('serial', 'choose the board\'s serial port in the browser\'s dialog…');
    let port: import('../../devices/webserial-transport').SerialPortLike;
    try {
      port = await serial.requestPort();
    } catch (error) {
      this.fail((error as Error).name === 'NotFoundError' ? 'No port was chosen. Plug the board in, then connect and pick its port.' : `Could not get a serial port: ${(error as Error).message}`);
      return;
    }
    await this.open(host, async (model) => {
      const [{ openWebSerial }, { readHello }] = await Promise.all([import('../../devices/webserial-transport'), import('./board-connection')]);
      this.activity = 'opening the serial port at 921600 baud…';
      const transport = await openWebSerial(port);
      try {
        this.activity = 'waiting for the board\'s HELLO…';
        const hello = await readHello(transport, { signal: this.controller?.signal });
        return { kind: 'serial', label: `${hello.boardId} (Web Serial)`, target: `WebSerial:${hello.boardId}`, transport, hello, sizes: {}, close: () => transport.close() };
      } catch (error) {
        await transport.close();
        throw error;
      }
    });
  }

  /** Hosted toolchain: builds firmware from the run's C, starts a VirtualCortexM4 and bridges its UART. */
  async connectHosted(host: BoardsHost): Promise<void> {
    if (this.busy || this.phase === 'connected') return;
    const url = this.toolchainUrl.trim();
    if (!/^https?:\/\/[^\s/]+/.test(url)) { this.error = `"${url}" is not an http:// or https:// address; the hosted toolchain prints its address when it starts (npm run toolchain)`; return; }
    this.start('hosted', '');
    await this.open(host, async (model) => {
      const [{ startHostedBoard }, { readHello }, { firmwareSize, parseElf }] = await Promise.all([
        import('../../devices/hosted-board'), import('./board-connection'), import('../../core/deploy/elf'),
      ]);
      this.activity = `building the firmware for ${model.job.dir}/ on ${url} and starting QEMU…`;
      const board = await startHostedBoard(url, { modelFiles: model.modelFiles, options: { protocol: 'mote-v1' } });
      try {
        this.buildLog = board.log;
        const size = firmwareSize(parseElf(board.elf));
        this.activity = 'waiting for the board\'s HELLO…';
        const hello = await readHello(board.transport, { signal: this.controller?.signal });
        return {
          kind: 'hosted', label: `VirtualCortexM4 (hosted, ${new URL(url).host})`, target: 'VirtualCortexM4', transport: board.transport, hello,
          sizes: { rom_bytes: size.rom_bytes, ram_bytes: size.ram_bytes }, close: () => board.stop(),
        };
      } catch (error) {
        await board.stop();
        throw error;
      }
    });
  }

  private start(kind: BoardKind, activity: string): void {
    this.phase = 'connecting';
    this.kind = kind;
    this.error = null;
    this.notice = null;
    this.progress = null;
    this.activity = activity;
    this.controller = new AbortController();
  }

  private fail(message: string): void {
    this.phase = 'idle';
    this.kind = null;
    this.activity = '';
    this.error = message;
    this.connected = null;
  }

  private async open(host: BoardsHost, connect: (model: BoardModel) => Promise<BoardConnection>): Promise<void> {
    try {
      const model = await this.prepareModel(host);
      const connection = await connect(model);
      const { checkBoardModel } = await import('./board-connection');
      try {
        checkBoardModel(connection.hello, model.hash, model.job.dir);
      } catch (error) {
        await connection.close();
        throw error;
      }
      if (this.controller?.signal.aborted) { await connection.close(); throw new Error('connecting was cancelled'); }
      this.boardModel = model;
      this.connection = connection;
      this.hello = connection.hello;
      this.phase = 'connected';
      this.activity = '';
      this.connected = connection.label;
      void connection.transport.closed.then((closed) => {
        if (this.connection !== connection) return;
        this.connection = undefined;
        this.connected = null;
        if (this.phase === 'connected') {
          this.phase = 'idle';
          this.kind = null;
          this.error = `The board disconnected${closed.reason ? ` (${closed.reason})` : ''}. Results saved so far are kept; connect again to evaluate.`;
        }
      });
    } catch (error) {
      const cancelled = this.controller?.signal.aborted ?? false;
      this.fail(cancelled ? '' : (error as Error).message);
      if (cancelled) { this.error = null; this.notice = 'Connecting was cancelled.'; }
    }
  }

  /** Evaluates the connected board on the run's test vectors and records the row in the run. */
  async evaluate(host: BoardsHost): Promise<void> {
    const connection = this.connection;
    const model = this.boardModel;
    if (!connection || !model || this.phase !== 'connected' || !host.store) return;
    const store = host.store;
    const [{ evaluateOnBoard }, { referenceOf, recordBoardResult }] = await Promise.all([import('../../core/evaluation/evaluator'), import('./board-model')]);
    this.phase = 'evaluating';
    this.error = null;
    this.notice = null;
    this.controller = new AbortController();
    const total = model.board.vectors.length;
    let lost = false;
    this.progress = { done: 0, total, elapsedMs: 0 };
    this.activity = `sending ${total} test vectors to ${connection.label}…`;
    try {
      const report = await evaluateOnBoard({
        transport: connection.transport,
        vectors: model.board.vectors,
        labels: model.labels,
        reference: referenceOf(model),
        expectedModelHash: model.hash,
        frameTimeoutMs: 10_000,
        maxRetries: 4,
        signal: this.controller.signal,
        onProgress: (progress) => { this.progress = progress; },
      });
      this.report = { evaluation: report, classNames: model.classNames, board: connection.label };
      this.activity = 'saving the result in the run…';
      this.lastRow = await recordBoardResult(store, model, connection.target, report, connection.sizes);
      await host.refreshRuns();
      this.notice = `${report.n} vectors on ${connection.label}: ${report.bit_exact ? 'bit-exact with the browser reference' : `${report.mismatched_vectors} of ${report.n} vectors differ from the browser reference`}; saved in the run as target ${connection.target}.`;
    } catch (error) {
      lost = connection.transport.isClosed || error instanceof TransportError;
      if (error instanceof CancelledError) this.notice = 'Evaluation cancelled; nothing from it was saved (earlier results are kept).';
      else this.error = `${lost ? 'The board connection was lost during the evaluation' : 'The evaluation failed'}: ${(error as Error).message.replace(/\.$/, '')}. Nothing from this evaluation was saved; earlier results are kept.`;
    } finally {
      this.activity = '';
      if (this.connection === connection && !lost && !connection.transport.isClosed) {
        this.phase = 'connected';
      } else {
        // A board that dropped out mid-evaluation is closed for good: connect again to start over.
        if (this.connection === connection) this.connection = undefined;
        this.connected = null;
        this.phase = 'idle';
        this.kind = null;
        this.hello = null;
        await connection.close().catch(() => undefined);
      }
    }
  }

  /** Stops connecting or evaluating. */
  cancel(): void {
    this.controller?.abort();
  }

  async disconnect(): Promise<void> {
    this.controller?.abort();
    const connection = this.connection;
    this.connection = undefined;
    this.boardModel = undefined;
    this.connected = null;
    this.phase = 'idle';
    this.kind = null;
    this.hello = null;
    this.activity = '';
    await connection?.close().catch(() => undefined);
  }
}

export const boards = new Boards();

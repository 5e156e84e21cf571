// Recording labelled windows from a board that prints numeric lines over Web Serial (any sketch that works
// with Edge Impulse's data forwarder). The pure parts live in src/core/capture/ (line parser, rate meter,
// window recorder); this file ties them to the page: the port, a clock that ticks the countdown, the live
// plot's buffer, and the dataset library in IndexedDB, where every kept window is saved at once.
import { describeRate } from '../../core/capture/rate';
import { numericLineStream, streamAdvice, type Reading, type SensorStream, type SensorStreamStats } from '../../core/capture/sensor-stream';
import { WindowRecorder, type RecorderState } from '../../core/capture/window-recorder';
import type { DatasetInfo, DatasetLibrary } from '../../core/data/library';
import type { SerialPortLike } from '../../devices/webserial-transport';

/** Readings the live plot keeps (per axis). */
const PLOT_READINGS = 200;
const TICK_MS = 100;

export interface RecordingHost {
  library(): Promise<DatasetLibrary>;
}

export class SerialRecording {
  baudRate = $state(115200);
  datasetName = $state('gestures');
  label = $state('wave');
  steps = $state(50);
  countdownSeconds = $state(3);

  phase = $state<'idle' | 'connecting' | 'connected'>('idle');
  description = $state('');
  axes = $state<string[]>([]);
  stats = $state<SensorStreamStats | null>(null);
  advice = $state<string | undefined>(undefined);
  recorder = $state<RecorderState>({ phase: 'idle' });
  countdown = $state<number | undefined>(undefined);
  recorded = $state<number | undefined>(undefined);
  /** Outcome of the last recording, in words. */
  message = $state('');
  error = $state('');
  plot = $state<{ x: number[]; series: number[][] }>({ x: [], series: [] });
  datasets = $state<DatasetInfo[]>([]);

  private stream: SensorStream | undefined;
  private windows: WindowRecorder | undefined;
  private timer: ReturnType<typeof setInterval> | undefined;
  private unsubscribe: (() => void) | undefined;
  private buffer: Reading[] = [];
  private readingCount = 0;
  private saving: Promise<unknown> = Promise.resolve();

  constructor(private readonly host: RecordingHost) {}

  get rateText(): string {
    const hz = this.stats?.rateHz;
    return hz === null || hz === undefined ? 'measuring…' : describeRate(hz);
  }

  async refresh(): Promise<void> {
    try {
      const library = await this.host.library();
      this.datasets = (await library.list()).filter((d) => d.modality === 'series');
    } catch (error) {
      this.error = `Could not list the recorded datasets: ${(error as Error).message}`;
    }
  }

  /** Asks for a port (call from a click) and opens it at the chosen baud rate. */
  async connect(): Promise<void> {
    if (this.phase !== 'idle') return;
    this.error = '';
    this.message = '';
    const serial = (navigator as Navigator & { serial?: { requestPort(): Promise<SerialPortLike> } }).serial;
    if (!serial) { this.error = 'This browser has no Web Serial (use Chrome or Edge on a desktop).'; return; }
    this.phase = 'connecting';
    try {
      const port = await serial.requestPort();
      const { openWebSerial } = await import('../../devices/webserial-transport');
      const transport = await openWebSerial(port, this.baudRate);
      const stream = numericLineStream(transport, { description: `serial port at ${this.baudRate} baud`, clock: () => performance.now() });
      this.stream = stream;
      this.description = stream.description;
      this.buffer = [];
      this.readingCount = 0;
      this.unsubscribe = stream.onReadings((readings) => this.receive(readings));
      this.timer = setInterval(() => this.tick(), TICK_MS);
      this.phase = 'connected';
      void stream.closed.then(({ reason }) => {
        if (this.stream !== stream) return;
        if (reason) this.error = `The board's stream ended: ${reason}.`;
        this.teardown();
      });
    } catch (error) {
      this.phase = 'idle';
      this.error = (error as Error).name === 'NotFoundError' ? 'No port was chosen. Plug the board in, then connect and pick its port.' : `Could not open the serial port: ${(error as Error).message}`;
    }
  }

  async disconnect(): Promise<void> {
    const stream = this.stream;
    this.teardown();
    await stream?.close();
  }

  private teardown(): void {
    this.unsubscribe?.();
    this.unsubscribe = undefined;
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    this.stream = undefined;
    this.windows?.cancel();
    this.windows = undefined;
    this.recorder = { phase: 'idle' };
    this.countdown = undefined;
    this.recorded = undefined;
    this.phase = 'idle';
  }

  private receive(readings: Reading[]): void {
    this.buffer.push(...readings);
    this.readingCount += readings.length;
    if (this.buffer.length > PLOT_READINGS) this.buffer.splice(0, this.buffer.length - PLOT_READINGS);
    if (this.windows) this.handle(this.windows.push(readings));
  }

  private tick(): void {
    const stream = this.stream;
    if (!stream) return;
    const now = performance.now();
    this.stats = stream.stats(now);
    this.advice = streamAdvice(this.stats);
    this.axes = stream.axes();
    const first = this.readingCount - this.buffer.length;
    const width = this.buffer[0]?.values.length ?? 0;
    this.plot = {
      x: this.buffer.map((_, i) => first + i),
      series: Array.from({ length: width }, (_, axis) => this.buffer.map((r) => r.values[axis] ?? NaN)),
    };
    if (this.windows) {
      this.handle(this.windows.tick(now));
      const progress = this.windows.progress(now);
      this.countdown = progress.countdownSeconds;
      this.recorded = progress.recorded;
      this.recorder = this.windows.state;
    }
  }

  /** Starts one window of the current label: countdown, then `steps` readings. */
  async record(): Promise<void> {
    if (this.phase !== 'connected' || (this.windows && this.windows.state.phase !== 'idle')) return;
    this.error = '';
    this.message = '';
    const label = this.label.trim();
    if (!label) { this.error = 'Type a label (the class this example belongs to) before recording.'; return; }
    const axes = this.axes.length;
    if (!axes) { this.error = 'The board has not sent readings yet: wait until the rate shows, then record.'; return; }
    const existing = this.datasets.find((d) => d.name === this.datasetName);
    if (existing && existing.shape[1] !== axes) {
      this.error = `Dataset '${existing.name}' has ${existing.shape[1]} axes (${existing.axes.join(', ')}); this board sends ${axes}. Record into a new dataset name.`;
      return;
    }
    const steps = existing ? existing.shape[0] : this.steps;
    const spec = { steps, axes, rateHz: existing?.rateHz ?? null, countdownMs: Math.max(0, this.countdownSeconds) * 1000 };
    const count = existing ? existing.counts.train.concat(existing.counts.test).reduce((a, b) => a + b, 0) : 0;
    this.windows = new WindowRecorder(spec);
    this.handle(this.windows.start(label, `'${label}' #${count + 1}`, performance.now()));
    this.recorder = this.windows.state;
  }

  private handle(events: ReturnType<WindowRecorder['tick']>): void {
    for (const event of events) {
      if (event.type === 'refused') {
        this.error = event.message;
        this.windows = undefined;
        this.recorder = { phase: 'idle' };
      } else if (event.type === 'window') {
        this.windows = undefined;
        this.recorder = { phase: 'idle' };
        const { label, values, rateHz } = event;
        this.saving = this.saving.then(() => this.save(label, values, rateHz));
      }
    }
  }

  private async save(label: string, values: Float32Array, rateHz: number): Promise<void> {
    try {
      const library = await this.host.library();
      let info = await library.find(this.datasetName);
      const axes = this.axes.length;
      if (!info) {
        info = await library.create({
          name: this.datasetName, modality: 'series', shape: [values.length / axes, axes], axes: [...this.axes],
          // The stream's rate over the last couple of seconds is steadier than one short window's.
          rateHz: Math.round((this.stats?.rateHz || rateHz) * 100) / 100, source: `recorded from a ${this.description}`,
        });
      }
      const next = await library.append(info.id, { values, labels: [label] });
      const index = next.classNames.indexOf(label);
      this.message = `Saved '${label}' #${next.counts.train[index] + next.counts.test[index]} to '${next.name}' (${next.sampleCount} recordings, ${describeRate(rateHz)}).`;
      await this.refresh();
    } catch (error) {
      this.error = `The recording of '${label}' was not saved: ${(error as Error).message}`;
    }
  }
}

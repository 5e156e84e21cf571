// A live stream of sensor readings, whatever carries it: numeric text lines over a serial port (any board,
// Edge Impulse's forwarder format), the micro:bit's Bluetooth accelerometer service, and — once the Mote
// Runtime has its sensor-streaming mode (issue 12) — the runtime's own framed stream over the same serial
// link. The recorder, the Data page and the live panel only see this interface, so a new source is one
// more implementation, not a change to them.

import type { ByteTransport } from '../evaluation/transport';
import { NumericLineParser, type BadLine, type BadLineReason } from './numeric-lines';
import { RateMeter } from './rate';

export interface Reading {
  /** One value per axis. */
  values: number[];
  /** Host arrival time (ms, the stream's clock). */
  time: number;
}

export interface SensorStreamStats {
  readings: number;
  /** Lines (or packets) refused, in all and by reason; the last few for the page to show. */
  bad: number;
  badByReason: Record<BadLineReason, number>;
  recentBad: BadLine[];
  /** Measured readings per second, null until enough have arrived. */
  rateHz: number | null;
}

export interface SensorStream {
  /** What it is, for the page: "serial port at 115200 baud", "micro:bit over Bluetooth". */
  readonly description: string;
  /** Axis names once the stream knows how many values a reading has; empty before. */
  axes(): string[];
  /** Receives readings as they arrive (in batches); returns a function that stops receiving. */
  onReadings(listener: (readings: Reading[]) => void): () => void;
  stats(now?: number): SensorStreamStats;
  /** Resolves when the stream ends, from either side (the reason says why when it was not close()). */
  readonly closed: Promise<{ reason?: string }>;
  close(): Promise<void>;
}

export type Clock = () => number;

const RECENT_BAD = 5;

/** Listener fan-out, counters and the rate meter every stream shares. */
export class SensorStreamBase {
  private listeners = new Set<(readings: Reading[]) => void>();
  private readonly rate = new RateMeter();
  protected readonly counters: SensorStreamStats = {
    readings: 0, bad: 0, badByReason: { 'not-numeric': 0, 'wrong-axis-count': 0, 'too-long': 0, 'board-error': 0 }, recentBad: [], rateHz: null,
  };

  onReadings(listener: (readings: Reading[]) => void): () => void {
    this.listeners.add(listener);
    return () => { this.listeners.delete(listener); };
  }

  protected emit(readings: Reading[]): void {
    if (readings.length === 0) return;
    this.counters.readings += readings.length;
    for (const r of readings) this.rate.add(r.time);
    for (const listener of this.listeners) listener(readings);
  }

  protected refuse(bad: BadLine[]): void {
    for (const line of bad) {
      this.counters.bad++;
      this.counters.badByReason[line.reason]++;
      this.counters.recentBad.push(line);
    }
    if (this.counters.recentBad.length > RECENT_BAD) this.counters.recentBad.splice(0, this.counters.recentBad.length - RECENT_BAD);
  }

  stats(now?: number): SensorStreamStats {
    return { ...this.counters, badByReason: { ...this.counters.badByReason }, recentBad: [...this.counters.recentBad], rateHz: this.rate.rate(now) };
  }
}

/** Names for axes the board did not name: value1, value2, … (the page lets people rename them). */
export function defaultAxisNames(count: number): string[] {
  return Array.from({ length: count }, (_, i) => `value${i + 1}`);
}

class NumericLineStream extends SensorStreamBase implements SensorStream {
  private readonly parser: NumericLineParser;
  readonly closed: Promise<{ reason?: string }>;
  private readonly stop: () => void;

  constructor(private readonly transport: ByteTransport, readonly description: string, private readonly clock: Clock, axisCount?: number) {
    super();
    this.parser = new NumericLineParser({ axisCount });
    this.stop = transport.onData((chunk) => {
      const { readings, bad } = this.parser.push(chunk, this.clock());
      this.refuse(bad);
      this.emit(readings.map((r) => ({ values: r.values, time: r.time })));
    });
    this.closed = transport.closed.then((c) => { this.stop(); return c; });
  }

  axes(): string[] {
    const count = this.parser.axes;
    if (count === undefined) return [];
    return this.parser.axisNames.length === count ? [...this.parser.axisNames] : defaultAxisNames(count);
  }

  async close(): Promise<void> {
    this.stop();
    await this.transport.close();
  }
}

/** Readings from numeric text lines on a byte stream (a serial port opened at the sketch's baud rate). */
export function numericLineStream(transport: ByteTransport, options: { description: string; clock: Clock; axisCount?: number }): SensorStream {
  return new NumericLineStream(transport, options.description, options.clock, options.axisCount);
}

/** A sentence for the page when a stream's lines are mostly refused, or undefined when it looks healthy. */
export function streamAdvice(stats: SensorStreamStats): string | undefined {
  if (stats.bad < 5 || stats.bad <= stats.readings) return undefined;
  if (stats.badByReason['too-long'] > 0 || stats.badByReason['not-numeric'] > stats.bad / 2) {
    return `${stats.bad} of ${stats.bad + stats.readings} lines are not readings: check that the baud rate here is the one in the sketch's Serial.begin(…), and that the board prints one reading per line (numbers separated by commas, tabs or spaces)`;
  }
  return `${stats.bad} of ${stats.bad + stats.readings} lines do not have the same number of values as the others: the sketch should print every value of a reading on one line, with one line end per reading`;
}

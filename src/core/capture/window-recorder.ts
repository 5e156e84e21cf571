// Recording one labelled example from a live stream: a countdown (so the person can get ready), then exactly
// `steps` readings — fixed-length windows, so every sample of a dataset has the same shape. A window is
// refused (and nothing is kept) when the stream stalls, when its readings have the wrong number of axes, or
// when they arrive at a rate that does not match the dataset's: a window of 200 readings taken at 50 /s is
// 4 s of movement, not the 2 s the others are, and would teach the model the wrong thing.
// Pure: the page drives it with the clock (tick) and the stream's readings (push).

import { describeRate, rateMismatch } from './rate';
import type { Reading } from './sensor-stream';

export interface WindowSpec {
  /** Readings per window. */
  steps: number;
  /** Values per reading. */
  axes: number;
  /** The dataset's rate; windows at another rate are refused. Null for a new dataset (any steady rate). */
  rateHz: number | null;
  countdownMs: number;
}

export type RecorderState =
  | { phase: 'idle' }
  | { phase: 'countdown'; label: string; sample: string; endsAt: number }
  | { phase: 'recording'; label: string; sample: string; startedAt: number; got: number };

export type RecorderEvent =
  | { type: 'recording'; label: string }
  | { type: 'window'; label: string; values: Float32Array; rateHz: number; startedAt: number; endedAt: number }
  | { type: 'refused'; label: string; message: string };

/** How long a stream may say nothing during a window before the window is given up. */
function stallMs(rateHz: number | null): number {
  return Math.max(1500, rateHz ? (5 * 1000) / rateHz : 0);
}

export class WindowRecorder {
  private current: RecorderState = { phase: 'idle' };
  private values: Float32Array = new Float32Array(0);
  private firstTime = 0;
  private lastTime = 0;

  constructor(private spec: WindowSpec) {
    if (!Number.isInteger(spec.steps) || spec.steps < 2) throw new RangeError(`a window needs at least 2 readings, got ${spec.steps}`);
  }

  get state(): RecorderState {
    return this.current;
  }

  /** Changes the window for the next recording (not the one under way). */
  configure(spec: WindowSpec): void {
    this.spec = spec;
  }

  /** Starts the countdown for one example of `label`; `sample` names it in messages ("'wave' #7"). */
  start(label: string, sample: string, now: number): RecorderEvent[] {
    if (this.current.phase !== 'idle') return [];
    this.current = { phase: 'countdown', label, sample, endsAt: now + this.spec.countdownMs };
    return this.spec.countdownMs <= 0 ? this.tick(now) : [];
  }

  cancel(): void {
    this.current = { phase: 'idle' };
  }

  /** Countdown seconds left, or the share of the window recorded: for the page's display. */
  progress(now: number): { countdownSeconds?: number; recorded?: number } {
    if (this.current.phase === 'countdown') return { countdownSeconds: Math.max(0, Math.ceil((this.current.endsAt - now) / 1000)) };
    if (this.current.phase === 'recording') return { recorded: this.current.got / this.spec.steps };
    return {};
  }

  tick(now: number): RecorderEvent[] {
    const state = this.current;
    if (state.phase === 'countdown' && now >= state.endsAt) {
      this.current = { phase: 'recording', label: state.label, sample: state.sample, startedAt: now, got: 0 };
      this.values = new Float32Array(this.spec.steps * this.spec.axes);
      this.lastTime = now;
      return [{ type: 'recording', label: state.label }];
    }
    if (state.phase === 'recording' && now - this.lastTime > stallMs(this.spec.rateHz)) {
      this.current = { phase: 'idle' };
      return [{ type: 'refused', label: state.label, message: `${state.sample}: the board stopped sending after ${state.got} of ${this.spec.steps} readings (nothing for ${((now - this.lastTime) / 1000).toFixed(1)} s); check the cable and the sketch, then record it again` }];
    }
    return [];
  }

  push(readings: readonly Reading[]): RecorderEvent[] {
    const state = this.current;
    if (state.phase !== 'recording') return [];
    for (const reading of readings) {
      if (reading.time < state.startedAt) continue;
      if (reading.values.length !== this.spec.axes) {
        this.current = { phase: 'idle' };
        return [{ type: 'refused', label: state.label, message: `${state.sample}: a reading has ${reading.values.length} values, the dataset's windows have ${this.spec.axes} axes; nothing was kept` }];
      }
      if (state.got === 0) this.firstTime = reading.time;
      this.values.set(reading.values, state.got * this.spec.axes);
      this.lastTime = reading.time;
      state.got++;
      if (state.got === this.spec.steps) return [this.finish(state)];
    }
    return [];
  }

  private finish(state: Extract<RecorderState, { phase: 'recording' }>): RecorderEvent {
    this.current = { phase: 'idle' };
    const span = this.lastTime - this.firstTime;
    const rateHz = span > 0 ? ((this.spec.steps - 1) * 1000) / span : Infinity;
    const seconds = (span / 1000).toFixed(2);
    if (!Number.isFinite(rateHz)) {
      return { type: 'refused', label: state.label, message: `${state.sample}: all ${this.spec.steps} readings arrived at once, so their rate cannot be known; the board must send readings as it takes them (one line per reading, at a steady rate)` };
    }
    if (this.spec.rateHz !== null) {
      const mismatch = rateMismatch(rateHz, this.spec.rateHz);
      if (mismatch) {
        return { type: 'refused', label: state.label, message: `${state.sample}: ${this.spec.steps} readings in ${seconds} s is ${mismatch}; the window would not cover the same time as the others, so it was not kept. Set the sketch back to ${describeRate(this.spec.rateHz)} (its delay or sample rate), or record into a new dataset` };
      }
    }
    return { type: 'window', label: state.label, values: this.values, rateHz, startedAt: this.firstTime, endedAt: this.lastTime };
  }
}

// Sensor capture from byte streams recorded on disk (tests/samples/capture/*, hostile ones under
// tests/samples/hostile/serial/): each stream.tsv replays the chunks a serial port delivered, with their
// arrival times, through the same code the Data page uses (numericLineStream over a ByteTransport, then the
// WindowRecorder). _expected.json is what a person would be shown: axes, readings, rate, every bad line.
// Regenerate the expected files only for a deliberate change: MOTE_UPDATE_SAMPLES=1 npx vitest run tests/capture
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { createMemoryPair } from '../../src/core/evaluation/transport';
import { numericLineStream, streamAdvice, type Reading } from '../../src/core/capture/sensor-stream';
import { NumericLineParser } from '../../src/core/capture/numeric-lines';
import { RateMeter, describeRate, rateMismatch } from '../../src/core/capture/rate';
import { WindowRecorder, type RecorderEvent } from '../../src/core/capture/window-recorder';

const SAMPLES = join(__dirname, '..', 'samples');

interface Chunk { time: number; bytes: Uint8Array }

function readStream(dir: string): Chunk[] {
  return readFileSync(join(dir, 'stream.tsv'), 'latin1').split('\n').filter((l) => l && !l.startsWith('#')).map((line) => {
    const tab = line.indexOf('\t');
    const text = JSON.parse(line.slice(tab + 1)) as string;
    return { time: Number(line.slice(0, tab)), bytes: Uint8Array.from(text, (c) => c.charCodeAt(0)) };
  });
}

/** Replays a recorded stream through a memory transport into numericLineStream; returns what the page shows. */
async function replay(dir: string) {
  const chunks = readStream(dir);
  const [board, host] = createMemoryPair();
  let now = 0;
  const stream = numericLineStream(host, { description: 'serial port at 115200 baud', clock: () => now });
  const readings: Reading[] = [];
  stream.onReadings((batch) => readings.push(...batch));
  for (const chunk of chunks) {
    now = chunk.time;
    await board.write(chunk.bytes);
    await new Promise((r) => setTimeout(r, 0));
  }
  const stats = stream.stats(now);
  await stream.close();
  return { chunks, readings, stats, axes: stream.axes(), advice: streamAdvice(stats) };
}

function golden(dir: string, actual: unknown): void {
  const path = join(dir, '_expected.json');
  const text = JSON.stringify(actual, null, 2) + '\n';
  if (process.env.MOTE_UPDATE_SAMPLES || !existsSync(path)) writeFileSync(path, text);
  expect(text).toBe(readFileSync(path, 'utf8'));
}

describe('numeric lines from a board (Edge Impulse data forwarder format)', () => {
  const cases = readdirSync(join(SAMPLES, 'capture'));
  test.each(cases)('%s', async (name) => {
    const dir = join(SAMPLES, 'capture', name);
    const { readings, stats, axes, advice } = await replay(dir);
    golden(dir, {
      axes,
      readings: stats.readings,
      first: readings[0]?.values,
      last: readings[readings.length - 1]?.values,
      rate: stats.rateHz === null ? null : describeRate(stats.rateHz),
      bad: stats.bad,
      badByReason: stats.badByReason,
      recentBad: stats.recentBad.map((b) => b.message),
      advice: advice ?? null,
    });
    expect(stats.readings).toBeGreaterThan(50);
  });

  test('the forwarder sample: every bad line is counted with its line number and text, none is kept', async () => {
    const { readings, stats } = await replay(join(SAMPLES, 'capture', 'forwarder-bad-lines'));
    expect(stats.readings).toBe(300);
    expect(readings.every((r) => r.values.length === 3 && r.values.every(Number.isFinite))).toBe(true);
    expect(stats.bad).toBe(5);
    expect(stats.recentBad.map((b) => b.reason)).toEqual(['not-numeric', 'wrong-axis-count', 'board-error', 'not-numeric', 'not-numeric']);
    expect(Math.abs(stats.rateHz! / 100 - 1)).toBeLessThan(0.02);
  });

  test('a line split across packets is joined; CR LF, LF, tabs, commas and spaces all separate', () => {
    const parser = new NumericLineParser();
    const text = (s: string) => new TextEncoder().encode(s);
    expect(parser.push(text('junk\n1,2'), 0).readings).toEqual([]);
    parser.push(text(',3\r\n4\t5\t6\n7 8 9\n'), 10);
    const out = parser.push(text('10, 11 ,12\n'), 20);
    expect(out.readings.map((r) => r.values)).toEqual([[1, 2, 3], [4, 5, 6], [7, 8, 9], [10, 11, 12]].slice(3));
    expect(parser.axes).toBe(3);
  });

  test('the first line (usually the end of one sent before the port opened) is dropped quietly, never counted as bad', () => {
    for (const first of ['2.5', '81,-0.12,9.7', '.3,x,\u00fe']) {
      const parser = new NumericLineParser();
      const out = parser.push(new TextEncoder().encode(`${first}\n1,2,3\n1,2,3\n1,2,3\n`), 0);
      expect(out.bad).toEqual([]);
      expect(out.readings.map((r) => r.line)).toEqual([2, 3, 4]);
    }
  });

  test('lines that disagree before the axis count settles are reported once it does', () => {
    const parser = new NumericLineParser();
    const out = parser.push(new TextEncoder().encode('x\n1,2\n1,2,3\n4,5,6\n7,8,9\n'), 0);
    expect(out.bad.map((b) => b.message)).toEqual(["line 2: 2 values in '1,2', while the lines after it have 3"]);
    expect(out.readings.map((r) => r.values)).toEqual([[1, 2, 3], [4, 5, 6], [7, 8, 9]]);
  });
});

describe('hostile serial streams', () => {
  test('a sketch read at the wrong baud rate: no readings, every line refused, advice about the baud rate', async () => {
    const dir = join(SAMPLES, 'hostile', 'serial', 'wrong-baud');
    const { stats, advice, readings } = await replay(dir);
    golden(dir, { readings: stats.readings, bad: stats.bad, badByReason: stats.badByReason, recentBad: stats.recentBad.map((b) => b.message), advice: advice ?? null });
    expect(readings).toEqual([]);
    expect(advice).toMatch(/check that the baud rate here is the one in the sketch's Serial\.begin/);
  });

  test('a board sending at 50 /s into a dataset recorded at 100 /s: the window is refused, naming the sample and both rates', async () => {
    const dir = join(SAMPLES, 'hostile', 'serial', 'wrong-rate');
    const { readings, stats } = await replay(dir);
    expect(Math.abs(stats.rateHz! / 50 - 1)).toBeLessThan(0.02);
    const recorder = new WindowRecorder({ steps: 100, axes: 3, rateHz: 100, countdownMs: 500 });
    const events: RecorderEvent[] = [];
    events.push(...recorder.start('wave', "'wave' #7", readings[0].time));
    for (const r of readings) {
      events.push(...recorder.tick(r.time));
      events.push(...recorder.push([r]));
    }
    const refused = events.filter((e) => e.type === 'refused');
    golden(dir, { events: events.map((e) => (e.type === 'window' ? { type: e.type, rateHz: e.rateHz } : e)) });
    expect(events.some((e) => e.type === 'window')).toBe(false);
    expect(refused).toHaveLength(1);
    expect(refused[0]).toMatchObject({ label: 'wave', message: expect.stringMatching(/^'wave' #7: 100 readings in 1\.9\d s is 5\d \/s instead of the dataset's 100 \/s; .*not kept/) });
  });
});

describe('recording fixed-length windows', () => {
  function steady(rateHz: number, count: number, from = 0, axes = 3): Reading[] {
    return Array.from({ length: count }, (_, i) => ({ time: from + (i * 1000) / rateHz, values: Array.from({ length: axes }, (_, k) => i + k / 10) }));
  }

  test('countdown, then exactly `steps` readings from the moment recording starts', () => {
    const recorder = new WindowRecorder({ steps: 50, axes: 3, rateHz: 100, countdownMs: 3000 });
    expect(recorder.start('idle', "'idle' #1", 0)).toEqual([]);
    expect(recorder.progress(1200)).toEqual({ countdownSeconds: 2 });
    const readings = steady(100, 400);
    expect(recorder.push(readings.slice(0, 290))).toEqual([]); // the countdown: readings are not kept
    expect(recorder.tick(3000)).toEqual([{ type: 'recording', label: 'idle' }]);
    const events = recorder.push(readings.slice(290));
    expect(events).toHaveLength(1);
    const window = events[0] as Extract<RecorderEvent, { type: 'window' }>;
    expect(window.type).toBe('window');
    expect(window.values).toHaveLength(150);
    expect(window.values[0]).toBe(300); // the reading at t = 3000 ms
    expect(window.values[149]).toBeCloseTo(349.2, 4);
    expect(window.rateHz).toBeCloseTo(100, 6);
    expect(recorder.state.phase).toBe('idle');
  });

  test('a stream that stops mid-window: refused after a pause, saying how far it got', () => {
    const recorder = new WindowRecorder({ steps: 100, axes: 3, rateHz: 100, countdownMs: 0 });
    recorder.start('wave', "'wave' #2", 0);
    recorder.push(steady(100, 30));
    expect(recorder.tick(1000)).toEqual([]);
    expect(recorder.tick(2000)).toEqual([{ type: 'refused', label: 'wave', message: "'wave' #2: the board stopped sending after 30 of 100 readings (nothing for 1.7 s); check the cable and the sketch, then record it again" }]);
  });

  test('readings with another axis count, or all at once, are refused', () => {
    const recorder = new WindowRecorder({ steps: 10, axes: 3, rateHz: null, countdownMs: 0 });
    recorder.start('a', "'a' #1", 0);
    expect(recorder.push(steady(100, 5, 0, 2))[0]).toMatchObject({ type: 'refused', message: "'a' #1: a reading has 2 values, the dataset's windows have 3 axes; nothing was kept" });
    recorder.start('a', "'a' #2", 0);
    expect(recorder.push(steady(100, 10).map((r) => ({ ...r, time: 5 })))[0]).toMatchObject({ type: 'refused', message: expect.stringContaining('arrived at once') });
  });

  test('rates: a sliding span over bursts, and the tolerance a window gets', () => {
    const meter = new RateMeter();
    for (let packet = 0; packet < 100; packet++) meter.add(packet * 40, 4); // 4 readings per 40 ms USB packet
    expect(Math.abs(meter.rate()! / 100 - 1)).toBeLessThan(0.02);
    expect(meter.rate(10_000)).toBe(0);
    expect(rateMismatch(108, 100)).toBeUndefined();
    expect(rateMismatch(52, 100)).toBe("52 /s instead of the dataset's 100 /s");
    expect(describeRate(12.5)).toBe('12.5 /s');
  });
});

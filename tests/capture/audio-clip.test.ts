// Microphone recordings to stored clips: resampling keeps tones below the new Nyquist frequency (frequency and
// level) and removes those above it; clips are mono, 16-bit, exactly 1 s at 16 kHz.
import { describe, expect, test } from 'vitest';
import { KEYWORD_CLIP, mixToMono, recordingToClip, resample, toPcm16Clip } from '../../src/core/capture/audio-clip';

function tone(hz: number, rate: number, seconds: number, amplitude = 0.5): Float32Array {
  return Float32Array.from({ length: Math.round(rate * seconds) }, (_, i) => amplitude * Math.sin(2 * Math.PI * hz * i / rate));
}
/** Level of the `hz` component (amplitude), by correlation with a sine and cosine, skipping the edges. */
function levelAt(signal: Float32Array, hz: number, rate: number): number {
  let s = 0, c = 0;
  const from = 200, to = signal.length - 200;
  for (let i = from; i < to; i++) { s += signal[i] * Math.sin(2 * Math.PI * hz * i / rate); c += signal[i] * Math.cos(2 * Math.PI * hz * i / rate); }
  return 2 * Math.hypot(s, c) / (to - from);
}

describe('resample', () => {
  test.each([48_000, 44_100, 8_000])('a 1 kHz tone at %i Hz keeps its frequency and level at 16 kHz', (from) => {
    const out = resample(tone(1000, from, 0.5), from, 16_000);
    expect(out.length).toBe(8000);
    expect(levelAt(out, 1000, 16_000)).toBeCloseTo(0.5, 2);
    expect(levelAt(out, 1300, 16_000)).toBeLessThan(0.01);
  });

  test('a 10 kHz tone at 48 kHz is removed, not folded back to 6 kHz', () => {
    const out = resample(tone(10_000, 48_000, 0.5), 48_000, 16_000);
    expect(levelAt(out, 6000, 16_000)).toBeLessThan(0.01);
    // Plain picking of every third sample would alias it at full level: the test can tell the difference.
    const high = tone(10_000, 48_000, 0.5);
    const picked = Float32Array.from({ length: 8000 }, (_, i) => high[3 * i]);
    expect(levelAt(picked, 6000, 16_000)).toBeGreaterThan(0.4);
  });

  test('a constant stays constant; bad rates are refused in words', () => {
    const out = resample(new Float32Array(4800).fill(0.25), 48_000, 16_000);
    expect(Math.abs(out[800] - 0.25)).toBeLessThan(1e-6);
    expect(() => resample(new Float32Array(10), 0, 16_000)).toThrow('the recording rate must be a positive number of samples per second, not 0');
  });
});

describe('clips', () => {
  test('stereo at 48 kHz becomes exactly 16000 mono 16-bit samples', () => {
    const left = tone(440, 48_000, 1.2), right = tone(440, 48_000, 1.2, 0.1);
    const clip = recordingToClip([left, right], 48_000, KEYWORD_CLIP);
    expect(clip).toBeInstanceOf(Int16Array);
    expect(clip.length).toBe(16_000);
    expect(levelAt(Float32Array.from(clip, (v) => v / 32768), 440, 16_000)).toBeCloseTo(0.3, 2);
  });

  test('short recordings are padded with silence, loud ones clipped to the 16-bit range', () => {
    expect(Array.from(toPcm16Clip(Float32Array.of(2, -2, 0.5), 5))).toEqual([32767, -32768, 16384, 0, 0]);
    expect(() => mixToMono([new Float32Array(3), new Float32Array(4)])).toThrow("the recording's channels differ in length (3 and 4 samples)");
  });
});

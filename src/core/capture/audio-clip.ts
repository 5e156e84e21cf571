// Sound clips for the dataset library: a microphone delivers float samples at the device's rate (44.1 or
// 48 kHz, sometimes several channels); datasets store 16-bit mono PCM at one fixed rate (16 kHz for keyword
// spotting, as Google Speech Commands and the MFCC preprocessing expect) and one fixed length (1 s).
//
// Resampling is band-limited interpolation: each output sample is a windowed-sinc (Blackman window) sum of the
// input around its position, with the cutoff at the lower of the two Nyquist frequencies so that tones above
// 8 kHz in a 48 kHz recording are removed instead of folding back as aliases.

/** Taps on each side of the output position (at the input rate when not decimating). */
const HALF_TAPS = 16;

/** Averages the channels of one recording into one. Every channel must hold the same number of samples. */
export function mixToMono(channels: readonly Float32Array[]): Float32Array {
  if (channels.length === 0) throw new Error('the recording holds no channel');
  if (channels.length === 1) return channels[0];
  const length = channels[0].length;
  const mono = new Float32Array(length);
  for (const channel of channels) {
    if (channel.length !== length) throw new Error(`the recording's channels differ in length (${length} and ${channel.length} samples)`);
    for (let i = 0; i < length; i++) mono[i] += channel[i];
  }
  for (let i = 0; i < length; i++) mono[i] /= channels.length;
  return mono;
}

/** `input` (sampled at `fromHz`) at `toHz`, band-limited to below the lower Nyquist frequency. */
export function resample(input: Float32Array, fromHz: number, toHz: number): Float32Array {
  for (const [what, hz] of [['recording', fromHz], ['target', toHz]] as const) {
    if (!Number.isFinite(hz) || hz <= 0) throw new Error(`the ${what} rate must be a positive number of samples per second, not ${hz}`);
  }
  if (fromHz === toHz) return input.slice();
  const ratio = toHz / fromHz;
  const length = Math.round(input.length * ratio);
  const output = new Float32Array(length);
  // Cutoff as a fraction of the input rate: half the output rate when decimating, else half the input rate.
  const cutoff = Math.min(1, ratio) / 2;
  const reach = Math.ceil(HALF_TAPS / Math.min(1, ratio));
  for (let n = 0; n < length; n++) {
    const position = n / ratio;
    const centre = Math.floor(position);
    let sum = 0;
    let weights = 0;
    for (let k = centre - reach + 1; k <= centre + reach; k++) {
      const distance = position - k;
      if (Math.abs(distance) >= reach) continue;
      const x = 2 * cutoff * distance;
      const sinc = x === 0 ? 1 : Math.sin(Math.PI * x) / (Math.PI * x);
      const w = distance / reach; // -1 … 1
      const blackman = 0.42 + 0.5 * Math.cos(Math.PI * w) + 0.08 * Math.cos(2 * Math.PI * w);
      const weight = 2 * cutoff * sinc * blackman;
      weights += weight;
      if (k >= 0 && k < input.length) sum += input[k] * weight;
    }
    // Normalising by the taps' sum keeps a constant signal constant (unity gain at 0 Hz).
    output[n] = weights === 0 ? 0 : sum / weights;
  }
  return output;
}

/** Exactly `length` samples as 16-bit PCM: longer recordings are cut, shorter ones padded with silence. */
export function toPcm16Clip(samples: Float32Array, length: number): Int16Array {
  const clip = new Int16Array(length);
  const n = Math.min(length, samples.length);
  for (let i = 0; i < n; i++) {
    const v = Math.max(-1, Math.min(1, samples[i]));
    clip[i] = Math.round(v < 0 ? v * 32768 : v * 32767);
  }
  return clip;
}

export interface ClipFormat { rateHz: number; seconds: number }
/** The clip keyword spotting uses: 1 s at 16 kHz. */
export const KEYWORD_CLIP: ClipFormat = { rateHz: 16_000, seconds: 1 };

/** One recording (its channels at `deviceHz`) as a stored clip: mono, resampled, fixed length, 16-bit. */
export function recordingToClip(channels: readonly Float32Array[], deviceHz: number, format: ClipFormat = KEYWORD_CLIP): Int16Array {
  const mono = mixToMono(channels);
  return toPcm16Clip(resample(mono, deviceHz, format.rateHz), Math.round(format.rateHz * format.seconds));
}

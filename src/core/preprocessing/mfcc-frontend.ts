// MFCC front end with torchaudio's definitions (torchaudio.transforms.MFCC / MelSpectrogram / Spectrogram),
// the semantics Qualia's MFCC preprocessing and data augmentation inherit:
//   pad zeros `pad` both sides → (center) reflect-pad n_fft/2 → frames every hop_length → periodic Hann of
//   win_length centred in n_fft → |DFT|^power (one-sided) → HTK mel filterbank over [f_min, f_max] with bins
//   at linspace(0, sample_rate // 2, n_fft/2 + 1), no filter normalisation → log(mel + 1e-6) when log_mels,
//   else 10·log10(max(mel, 1e-10)) floored at (max − 80 dB) per clip → DCT-II (ortho: orthonormal) keeping
//   n_mfcc coefficients.

import { planRealDft } from './fft';

export interface MelKwargs {
  n_fft: number;
  win_length?: number;
  hop_length?: number;
  f_min: number;
  f_max?: number;
  pad: number;
  n_mels: number;
  power: number;
  center: boolean;
}

export interface MfccConfig {
  sample_rate: number;
  n_mfcc: number;
  dct_type: number;
  norm: 'ortho' | 'none';
  log_mels: boolean;
  melkwargs: MelKwargs;
}

export const hzToMel = (f: number) => 2595 * Math.log10(1 + f / 700);
export const melToHz = (m: number) => 700 * (10 ** (m / 2595) - 1);

/** [n_freqs × n_mels] triangular HTK filters (torchaudio.functional.melscale_fbanks, norm=None). */
export function melFilterbank(nFreqs: number, fMin: number, fMax: number, nMels: number, sampleRate: number): Float64Array {
  const fb = new Float64Array(nFreqs * nMels);
  const mMin = hzToMel(fMin);
  const mMax = hzToMel(fMax);
  const fPts = Array.from({ length: nMels + 2 }, (_, i) => melToHz(mMin + ((mMax - mMin) * i) / (nMels + 1)));
  const nyquist = Math.floor(sampleRate / 2);
  for (let f = 0; f < nFreqs; f++) {
    const freq = nFreqs === 1 ? 0 : (nyquist * f) / (nFreqs - 1);
    for (let m = 0; m < nMels; m++) {
      const down = (freq - fPts[m]) / (fPts[m + 1] - fPts[m]);
      const up = (fPts[m + 2] - freq) / (fPts[m + 2] - fPts[m + 1]);
      fb[f * nMels + m] = Math.max(0, Math.min(down, up));
    }
  }
  return fb;
}

/** [n_mels × n_mfcc] DCT-II matrix (torchaudio.functional.create_dct). */
export function dctMatrix(nMfcc: number, nMels: number, norm: 'ortho' | 'none'): Float64Array {
  const out = new Float64Array(nMels * nMfcc);
  for (let n = 0; n < nMels; n++) {
    for (let k = 0; k < nMfcc; k++) {
      let v = Math.cos((Math.PI / nMels) * (n + 0.5) * k);
      if (norm === 'ortho') v *= k === 0 ? Math.sqrt(1 / nMels) : Math.sqrt(2 / nMels);
      else v *= 2;
      out[n * nMfcc + k] = v;
    }
  }
  return out;
}

export function frameCount(length: number, mel: MelKwargs): number {
  const hop = mel.hop_length ?? Math.floor((mel.win_length ?? mel.n_fft) / 2);
  const padded = length + 2 * mel.pad + (mel.center ? 2 * Math.floor(mel.n_fft / 2) : 0);
  if (padded < mel.n_fft) throw new Error(`MFCC: a clip of ${length} samples is shorter than n_fft = ${mel.n_fft}`);
  return 1 + Math.floor((padded - mel.n_fft) / hop);
}

export interface MfccPlan {
  config: MfccConfig;
  frames: number;
  /** Computes [n_mfcc × frames] (row-major, coefficient-major like torchaudio) for one mono clip. */
  run(signal: ArrayLike<number>, out: Float32Array, outOffset?: number): void;
}

export function planMfcc(config: MfccConfig, length: number): MfccPlan {
  const mel = config.melkwargs;
  if (config.dct_type !== 2) throw new Error(`MFCC: dct_type ${config.dct_type} is not supported, only 2 (as torchaudio)`);
  const nFft = mel.n_fft;
  const win = mel.win_length ?? nFft;
  const hop = mel.hop_length ?? Math.floor(win / 2);
  const fMax = mel.f_max ?? config.sample_rate / 2;
  if (config.n_mfcc > mel.n_mels) throw new Error(`MFCC: n_mfcc (${config.n_mfcc}) cannot exceed melkwargs.n_mels (${mel.n_mels})`);
  if (win > nFft) throw new Error(`MFCC: melkwargs.win_length (${win}) cannot exceed n_fft (${nFft})`);
  const frames = frameCount(length, mel);
  const nFreqs = Math.floor(nFft / 2) + 1;
  const fb = melFilterbank(nFreqs, mel.f_min, fMax, mel.n_mels, config.sample_rate);
  const dct = dctMatrix(config.n_mfcc, mel.n_mels, config.norm);
  const window = new Float64Array(nFft);
  const left = Math.floor((nFft - win) / 2);
  for (let i = 0; i < win; i++) window[left + i] = 0.5 - 0.5 * Math.cos((2 * Math.PI * i) / win); // periodic Hann
  const dft = planRealDft(nFft);
  const frame = new Float64Array(nFft);
  const centerPad = mel.center ? Math.floor(nFft / 2) : 0;
  const paddedLength = length + 2 * mel.pad + 2 * centerPad;
  const padded = new Float64Array(paddedLength);
  const re = new Float64Array(nFft);
  const im = new Float64Array(nFft);
  const melSpec = new Float64Array(mel.n_mels * frames);
  // Each triangular filter covers a few bins: keep its non-zero range only.
  const bands = Array.from({ length: mel.n_mels }, (_, m) => {
    let first = -1;
    let last = -1;
    for (let f = 0; f < nFreqs; f++) if (fb[f * mel.n_mels + m] !== 0) { if (first < 0) first = f; last = f; }
    const weights = first < 0 ? new Float64Array(0) : Float64Array.from({ length: last - first + 1 }, (_, i) => fb[(first + i) * mel.n_mels + m]);
    return { first, weights };
  });
  const power = new Float64Array(nFreqs);
  return {
    config,
    frames,
    run(signal, out, outOffset = 0) {
      padded.fill(0);
      const inner = length + 2 * mel.pad; // zero-padded signal, then reflected for center
      const at = (i: number) => (i < mel.pad || i >= mel.pad + length ? 0 : signal[i - mel.pad]);
      for (let i = 0; i < inner; i++) padded[centerPad + i] = at(i);
      for (let i = 1; i <= centerPad; i++) {
        padded[centerPad - i] = at(Math.min(i, inner - 1)); // reflect without repeating the edge sample
        padded[centerPad + inner - 1 + i] = at(Math.max(inner - 1 - i, 0));
      }
      for (let t = 0; t < frames; t++) {
        const start = t * hop;
        for (let i = 0; i < nFft; i++) frame[i] = padded[start + i] * window[i];
        dft(frame, re, im);
        for (let f = 0; f < nFreqs; f++) {
          const squared = re[f] * re[f] + im[f] * im[f];
          power[f] = mel.power === 2 ? squared : Math.sqrt(squared) ** mel.power;
        }
        for (let m = 0; m < mel.n_mels; m++) {
          const { first, weights } = bands[m];
          let sum = 0;
          for (let i = 0; i < weights.length; i++) sum += power[first + i] * weights[i];
          melSpec[m * frames + t] = sum;
        }
      }
      if (config.log_mels) {
        for (let i = 0; i < melSpec.length; i++) melSpec[i] = Math.log(melSpec[i] + 1e-6);
      } else {
        let max = -Infinity;
        for (let i = 0; i < melSpec.length; i++) { melSpec[i] = 10 * Math.log10(Math.max(melSpec[i], 1e-10)); if (melSpec[i] > max) max = melSpec[i]; }
        const floor = max - 80;
        for (let i = 0; i < melSpec.length; i++) if (melSpec[i] < floor) melSpec[i] = floor;
      }
      for (let k = 0; k < config.n_mfcc; k++) {
        for (let t = 0; t < frames; t++) {
          let sum = 0;
          for (let m = 0; m < mel.n_mels; m++) sum += melSpec[m * frames + t] * dct[m * config.n_mfcc + k];
          out[outOffset + k * frames + t] = sum;
        }
      }
    },
  };
}

/**
 * MFCC of every sample of a batch of clips [count, steps, channels] (channels_last), one transform per channel.
 * Output per sample, channels_last: dims 1 → [frames, channels·n_mfcc] (coefficients of channel c at
 * c·n_mfcc + k); dims 2 → [n_mfcc, frames, channels] (torchaudio's [C, n_mfcc, frames] as channels_last).
 */
export function mfccBatch(x: ArrayLike<number>, count: number, shape: number[], config: MfccConfig, dims: number): { x: Float32Array; shape: number[] } {
  if (shape.length !== 2) throw new Error(`MFCC expects audio samples of shape [steps, channels], got [${shape.join(', ')}]`);
  const [steps, channels] = shape;
  const plan = planMfcc(config, steps);
  const { frames } = plan;
  const k = config.n_mfcc;
  const perSample = frames * k * channels;
  const out = new Float32Array(count * perSample);
  const clip = new Float64Array(steps);
  const coeffs = new Float32Array(k * frames);
  for (let s = 0; s < count; s++) {
    for (let c = 0; c < channels; c++) {
      for (let t = 0; t < steps; t++) clip[t] = x[(s * steps + t) * channels + c];
      plan.run(clip, coeffs);
      const base = s * perSample;
      for (let j = 0; j < k; j++) {
        for (let t = 0; t < frames; t++) {
          const v = coeffs[j * frames + t];
          if (dims === 1) out[base + t * channels * k + c * k + j] = v;
          else out[base + (j * frames + t) * channels + c] = v;
        }
      }
    }
  }
  return { x: out, shape: dims === 1 ? [frames, channels * k] : [k, frames, channels] };
}

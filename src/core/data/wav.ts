// A RIFF/WAVE reader for PCM 16-bit mono (Speech Commands' format). Anything else is refused with a message
// saying what the file is, rather than being decoded approximately: a deterministic pipeline needs the
// exact samples (AudioContext.decodeAudioData resamples silently and does not exist in workers or Node).

import { InputFileError } from '../base/errors';

export interface Wav { sampleRate: number; samples: Int16Array }

const FORMAT_NAMES: Record<number, string> = { 1: 'PCM', 3: 'IEEE float', 6: 'A-law', 7: 'µ-law', 0x11: 'IMA ADPCM', 0xfffe: 'extensible' };

export function readWav(bytes: Uint8Array, label: string): Wav {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const tag = (o: number) => String.fromCharCode(bytes[o], bytes[o + 1], bytes[o + 2], bytes[o + 3]);
  if (bytes.length < 12 || tag(0) !== 'RIFF' || tag(8) !== 'WAVE') throw new InputFileError(`${label}: not a WAV file (no RIFF/WAVE header)`);
  let p = 12;
  let format: { code: number; channels: number; rate: number; bits: number } | undefined;
  while (p + 8 <= bytes.length) {
    const id = tag(p);
    const size = view.getUint32(p + 4, true);
    const body = p + 8;
    if (id === 'fmt ') {
      if (size < 16 || body + 16 > bytes.length) throw new InputFileError(`${label}: damaged WAV 'fmt ' chunk`);
      let code = view.getUint16(body, true);
      if (code === 0xfffe && size >= 40) code = view.getUint16(body + 24, true); // WAVE_FORMAT_EXTENSIBLE sub-format
      format = { code, channels: view.getUint16(body + 2, true), rate: view.getUint32(body + 4, true), bits: view.getUint16(body + 14, true) };
    } else if (id === 'data') {
      if (!format) throw new InputFileError(`${label}: WAV 'data' chunk before its 'fmt ' chunk`);
      if (format.code !== 1 || format.bits !== 16 || format.channels !== 1) {
        throw new InputFileError(`${label}: ${FORMAT_NAMES[format.code] ?? `format ${format.code}`} ${format.bits}-bit ${format.channels === 1 ? 'mono' : `${format.channels}-channel`} WAV; Mote reads PCM 16-bit mono (convert with e.g. 'sox in.wav -b 16 -c 1 -e signed-integer out.wav')`);
      }
      const available = Math.min(size, bytes.length - body);
      if (available < size) throw new InputFileError(`${label}: WAV data is truncated (${available} of ${size} bytes)`);
      const samples = new Int16Array(size >> 1);
      for (let i = 0; i < samples.length; i++) samples[i] = view.getInt16(body + 2 * i, true);
      return { sampleRate: format.rate, samples };
    }
    p = body + size + (size & 1);
  }
  throw new InputFileError(`${label}: WAV file has no 'data' chunk`);
}

/** A RIFF/WAVE file of PCM 16-bit mono samples (what readWav reads back exactly). */
export function writeWav(samples: Int16Array, sampleRate: number): Uint8Array {
  const bytes = new Uint8Array(44 + samples.length * 2);
  const view = new DataView(bytes.buffer);
  const tag = (offset: number, text: string) => { for (let i = 0; i < 4; i++) bytes[offset + i] = text.charCodeAt(i); };
  tag(0, 'RIFF');
  view.setUint32(4, 36 + samples.length * 2, true);
  tag(8, 'WAVE');
  tag(12, 'fmt ');
  view.setUint32(16, 16, true);
  view.setUint16(20, 1, true); // PCM
  view.setUint16(22, 1, true); // mono
  view.setUint32(24, sampleRate, true);
  view.setUint32(28, sampleRate * 2, true);
  view.setUint16(32, 2, true);
  view.setUint16(34, 16, true);
  tag(36, 'data');
  view.setUint32(40, samples.length * 2, true);
  for (let i = 0; i < samples.length; i++) view.setInt16(44 + 2 * i, samples[i], true);
  return bytes;
}

// Share links carry an experiment's TOML in the URL fragment (never sent to a server):
//   <app url>#toml=<base64url(raw DEFLATE(UTF-8 TOML))>, no padding.
// The fragment key `toml` names format version 1; a later format gets a new key, so old links keep working.
// Decoding treats the link as hostile: it never evaluates anything, checks the alphabet, and stops inflating
// past MAX_SHARED_TOML_BYTES so a zip bomb cannot exhaust memory.

import { deflateSync, Inflate } from 'fflate';
import { ConfigError } from '../base/errors';

export const SHARE_KEY = 'toml';
export const MAX_SHARED_TOML_BYTES = 64 * 1024;
/** Compressed bytes handed to the inflater at a time; bounds how far one step can overshoot the cap. */
const INFLATE_STEP = 256;

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/**
 * The experiment is too large for a link: the decoder (here or in any Mote that opens the link) would refuse
 * it. Raised when the link is made, so nobody is handed a link that cannot be opened; the file is the way.
 */
export class ShareLinkTooLargeError extends ConfigError {
  constructor(readonly bytes: number) {
    super(`This experiment is ${formatKiB(bytes)} of text; a share link carries at most ${formatKiB(MAX_SHARED_TOML_BYTES)} (the limit Mote applies when it opens a link), so no link was made. Send the experiment as a .toml file instead: the recipient imports it on the Share page.`);
  }
}

function formatKiB(bytes: number): string {
  return `${Number.isInteger(bytes / 1024) ? bytes / 1024 : (bytes / 1024).toFixed(1)} KiB`;
}

/**
 * Makes the link, then opens it with the same decoder a recipient runs: a link this returns is one Mote
 * accepts. A text over the decoder's cap throws ShareLinkTooLargeError.
 */
export function encodeShareLink(toml: string, appUrl: string): string {
  const base = appUrl.split('#')[0];
  const bytes = new TextEncoder().encode(toml);
  if (bytes.length > MAX_SHARED_TOML_BYTES) throw new ShareLinkTooLargeError(bytes.length);
  const link = `${base}#${SHARE_KEY}=${toBase64Url(deflateSync(bytes, { level: 9 }))}`;
  if (decodeShareFragment(link) !== toml) throw new ConfigError('The share link did not give back the experiment it was made from; this is a bug in Mote: please send the experiment as a file instead.');
  return link;
}

/** Accepts a whole URL, a `#toml=…` fragment or `toml=…`; returns the TOML text or throws ConfigError. */
export function decodeShareFragment(hashOrUrl: string): string {
  const payload = extractPayload(hashOrUrl);
  const bytes = fromBase64Url(payload);
  const inflated = inflateCapped(bytes);
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(inflated);
  } catch (cause) {
    throw new ConfigError('The shared experiment is not UTF-8 text, so it is not a Mote share link (or it was altered); ask for the link again.', { cause });
  }
}

function extractPayload(hashOrUrl: string): string {
  const hashAt = hashOrUrl.indexOf('#');
  const fragment = hashAt >= 0 ? hashOrUrl.slice(hashAt + 1) : hashOrUrl.startsWith(`${SHARE_KEY}=`) ? hashOrUrl : '';
  const field = fragment.split('&').find((part) => part.startsWith(`${SHARE_KEY}=`));
  if (field === undefined) {
    throw new ConfigError(`This link has no shared experiment: expected '#${SHARE_KEY}=…' after the address, found ${fragment ? `'#${fragment.slice(0, 40)}${fragment.length > 40 ? '…' : ''}'` : 'no fragment'}.`);
  }
  const payload = field.slice(SHARE_KEY.length + 1).trim();
  if (payload === '') throw new ConfigError(`The shared experiment is empty: nothing follows '#${SHARE_KEY}='.`);
  return payload;
}

export function toBase64Url(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bytes.length; i += 3) {
    const n = (bytes[i] << 16) | ((bytes[i + 1] ?? 0) << 8) | (bytes[i + 2] ?? 0);
    const chars = Math.min(4, Math.ceil(((bytes.length - i) * 8) / 6));
    for (let c = 0; c < chars; c++) out += ALPHABET[(n >> (18 - 6 * c)) & 63];
  }
  return out;
}

export function fromBase64Url(text: string): Uint8Array {
  for (let i = 0; i < text.length; i++) {
    if (ALPHABET.indexOf(text[i]) < 0) {
      const shown = text[i] === '=' ? "'=' (padding is not used)" : JSON.stringify(text[i]);
      throw new ConfigError(`The shared experiment is damaged: character ${i + 1} of the link data is ${shown}, which is not base64url (A–Z, a–z, 0–9, '-', '_'); the link was probably cut or altered when copied.`);
    }
  }
  if (text.length % 4 === 1) {
    throw new ConfigError(`The shared experiment is damaged: its data is ${text.length} characters long, which no base64url encoding produces; the link was probably cut when copied.`);
  }
  const out = new Uint8Array(Math.floor((text.length * 6) / 8));
  let bits = 0;
  let value = 0;
  let o = 0;
  for (let i = 0; i < text.length; i++) {
    value = (value << 6) | ALPHABET.indexOf(text[i]);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[o++] = (value >> bits) & 255;
      value &= (1 << bits) - 1;
    }
  }
  return out;
}

const TRUNCATED = 'The shared experiment is damaged: its compressed data ends too early; the link was probably cut when copied.';

function inflateCapped(bytes: Uint8Array): Uint8Array {
  const chunks: Uint8Array[] = [];
  let total = 0;
  let finished = false;
  const inflater = new Inflate((chunk, final) => {
    total += chunk.length;
    if (total <= MAX_SHARED_TOML_BYTES) chunks.push(chunk);
    if (final) finished = true;
  });
  try {
    for (let at = 0; at < bytes.length; at += INFLATE_STEP) {
      inflater.push(bytes.subarray(at, at + INFLATE_STEP), at + INFLATE_STEP >= bytes.length);
      if (total > MAX_SHARED_TOML_BYTES) {
        throw new ConfigError(`The shared experiment is too large: it inflates to more than ${MAX_SHARED_TOML_BYTES / 1024} KiB (experiments are a few KiB); the link is not a Mote share link or was made to exhaust memory.`);
      }
    }
  } catch (error) {
    if (error instanceof ConfigError) throw error;
    if (/unexpected EOF/i.test((error as Error).message)) throw new ConfigError(TRUNCATED, { cause: error });
    throw new ConfigError(`The shared experiment is damaged: its compressed data is corrupt (${(error as Error).message}); ask for the link again.`, { cause: error });
  }
  if (!finished) throw new ConfigError(TRUNCATED);
  const out = new Uint8Array(total);
  let at = 0;
  for (const chunk of chunks) { out.set(chunk, at); at += chunk.length; }
  return out;
}

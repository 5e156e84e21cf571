import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { deflateSync } from 'fflate';
import { describe, expect, test } from 'vitest';
import { decodeShareFragment, encodeShareLink, fromBase64Url, MAX_SHARED_TOML_BYTES, ShareLinkTooLargeError, toBase64Url } from '../../src/core/config/share';
import { ConfigError } from '../../src/core/base/errors';

const APP = 'https://mote.example/app/';

function tomlFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? tomlFiles(path) : name.endsWith('.toml') ? [path] : [];
  });
}

function decodeError(input: string): string {
  try {
    decodeShareFragment(input);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  throw new Error(`decoding ${input.slice(0, 60)} did not fail`);
}

describe('share links', () => {
  test('the link is the app URL, #toml= and unpadded base64url', () => {
    const link = encodeShareLink('[bench]\nname = "x"\n', `${APP}#old-fragment`);
    expect(link.startsWith(`${APP}#toml=`)).toBe(true);
    expect(link.slice(`${APP}#toml=`.length)).toMatch(/^[A-Za-z0-9_-]+$/);
  });

  test('round-trips unicode, empty lines and CRLF', () => {
    for (const toml of ['a = "héllo ✓ 🎉 日本語"\n', '\r\n[bench]\r\nname = "crlf"\r\n', 'x = 1', '# only a comment\n\n\n']) {
      const link = encodeShareLink(toml, APP);
      expect(decodeShareFragment(link)).toBe(toml);
      expect(decodeShareFragment(link.slice(link.indexOf('#')))).toBe(toml);
      expect(decodeShareFragment(link.slice(link.indexOf('#') + 1))).toBe(toml);
    }
  });

  const shared = resolve(__dirname, '../../../shared/qualia-conf');
  const files = [...(existsSync(shared) ? tomlFiles(shared) : []), ...tomlFiles(resolve(__dirname, '../samples/config'))];
  test.each(files)('round-trips %s', (file) => {
    const toml = readFileSync(file, 'utf8');
    const link = encodeShareLink(toml, APP);
    expect(decodeShareFragment(link)).toBe(toml);
  });

  test('base64url codec matches the RFC 4648 test vectors (url alphabet, no padding)', () => {
    const vectors: [string, string][] = [['', ''], ['f', 'Zg'], ['fo', 'Zm8'], ['foo', 'Zm9v'], ['foob', 'Zm9vYg'], ['fooba', 'Zm9vYmE'], ['foobar', 'Zm9vYmFy']];
    for (const [plain, encoded] of vectors) {
      expect(toBase64Url(new TextEncoder().encode(plain))).toBe(encoded);
      expect(new TextDecoder().decode(fromBase64Url(encoded))).toBe(plain);
    }
    expect(toBase64Url(new Uint8Array([0xfb, 0xff]))).toBe('-_8');
  });

  test('a link without #toml= says so', () => {
    expect(decodeError('https://mote.example/app/')).toMatch(/no shared experiment: expected '#toml=…'.*found no fragment/);
    expect(decodeError('https://mote.example/app/#run=3')).toMatch(/found '#run=3'/);
    expect(decodeError('#toml=')).toMatch(/empty/);
  });

  test('a character outside base64url is named with its position', () => {
    expect(decodeError('#toml=abc+def')).toMatch(/character 4 of the link data is "\+"/);
    expect(decodeError('#toml=abcd==')).toMatch(/character 5 .*padding is not used/);
    expect(decodeError('#toml=abcde')).toMatch(/5 characters long/);
  });

  test('corrupt and truncated deflate data', () => {
    const payload = toBase64Url(deflateSync(new TextEncoder().encode('x = 1\n'.repeat(500))));
    expect(decodeError(`#toml=${payload.slice(0, payload.length - 5)}`)).toMatch(/ends too early/);
    expect(decodeError(`#toml=${toBase64Url(new Uint8Array([0xff, 0xff, 0xff, 0xff]))}`)).toMatch(/corrupt/);
  });

  test('a zip bomb stops at the size cap', () => {
    const bomb = toBase64Url(deflateSync(new Uint8Array(20 * 1024 * 1024)));
    expect(bomb.length).toBeLessThan(40_000);
    expect(decodeError(`#toml=${bomb}`)).toMatch(/too large: it inflates to more than 64 KiB/);
    const justFits = 'a'.repeat(MAX_SHARED_TOML_BYTES);
    expect(decodeShareFragment(encodeShareLink(justFits, APP))).toBe(justFits);
    expect(decodeError(`#toml=${toBase64Url(deflateSync(new TextEncoder().encode(`${justFits}a`)))}`)).toMatch(/too large/);
  });

  test('a link the decoder would refuse is never made: the error says how large, the cap, and to send the file', () => {
    // 120 KB of real text (the issue's case): it deflates to a ~39 KB link that no Mote would open.
    const big = `[bench]\nname = "big"\n${Array.from({ length: 3000 }, (_, i) => `# note ${i}: ${'measured '.repeat(4)}\n`).join('')}`;
    expect(big.length).toBeGreaterThan(120_000);
    let refusal: unknown;
    try { encodeShareLink(big, APP); } catch (error) { refusal = error; }
    expect(refusal).toBeInstanceOf(ShareLinkTooLargeError);
    expect(refusal).toBeInstanceOf(ConfigError);
    expect((refusal as ShareLinkTooLargeError).bytes).toBe(new TextEncoder().encode(big).length);
    expect((refusal as Error).message).toMatch(/^This experiment is 1\d\d\.\d KiB of text; a share link carries at most 64 KiB .* Send the experiment as a \.toml file instead/);
    // The cap counts UTF-8 bytes, as the decoder does: 32 Ki characters of 3 bytes each are too many.
    expect(() => encodeShareLink('✓'.repeat(MAX_SHARED_TOML_BYTES / 2), APP)).toThrow(ShareLinkTooLargeError);
  });

  test('bytes that are not UTF-8', () => {
    expect(decodeError(`#toml=${toBase64Url(deflateSync(new Uint8Array([0x61, 0xff, 0xfe])))}`)).toMatch(/not UTF-8/);
  });
});

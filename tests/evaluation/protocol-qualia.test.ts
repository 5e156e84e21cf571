import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { formatPythonFloat32, formatQualiaVector, parseQualiaResult } from '../../src/core/evaluation/protocol-qualia';

const samples = JSON.parse(readFileSync(new URL('../samples/evaluation/python-float32-str/cases.json', import.meta.url), 'utf8')) as { cases: { bits: number; str: string }[] };

describe("Qualia's text protocol, host side", () => {
  it('prints float32 values exactly as NumPy does (samples made by tests/samples/evaluation/python-float32-str/make.py)', () => {
    const view = new DataView(new ArrayBuffer(4));
    for (const { bits, str } of samples.cases) {
      view.setUint32(0, bits);
      expect(formatPythonFloat32(view.getFloat32(0))).toBe(str);
    }
  });

  it('joins a vector with commas and ends it with CRLF', () => {
    expect(formatQualiaVector([0.5, -1, 1e-5])).toBe('0.5,-1.0,1e-05\r\n');
  });

  it('parses result lines, including the 3-field form of older firmwares', () => {
    expect(parseQualiaResult('3,7,127.000000,412\r')).toEqual({ i: 3, label: 7, score: 127, us: 412 });
    expect(parseQualiaResult('1,0,-2.500000')).toEqual({ i: 1, label: 0, score: -2.5, us: undefined });
    expect(() => parseQualiaResult('garbage')).toThrow(/expected "i,label,score,us"/);
  });
});

// Fast reader for whitespace-separated numeric text (UCI-HAR's 66 MB X_train.txt: fixed-width values such
// as "  2.8858451e-001", 3-digit exponents, \r\n tolerated). Scans bytes instead of splitting strings.

import { InputFileError } from '../base/errors';

const POW10 = Array.from({ length: 23 }, (_, i) => 10 ** i); // exact in float64 up to 1e22

/** Parses `rows × columns` numbers; every line must have exactly `columns` values (blank lines skipped). */
export function parseNumberTable(bytes: Uint8Array, label: string, columns: number): { values: Float32Array; rows: number } {
  let capacity = Math.max(1024, Math.ceil(bytes.length / 8));
  let values = new Float32Array(capacity);
  let count = 0;
  let rows = 0;
  let column = 0;
  let line = 1;
  let p = 0;
  const n = bytes.length;
  const endLine = () => {
    if (column === 0) return;
    if (column !== columns) throw new InputFileError(`${label}: line ${line} has ${column} values, expected ${columns}; the file is damaged or not the original`);
    rows++;
    column = 0;
  };
  while (p < n) {
    const c = bytes[p];
    if (c === 10) { endLine(); line++; p++; continue; }
    if (c === 32 || c === 9 || c === 13 || c === 44) { p++; continue; }
    // One number: [sign] digits [. digits] [e [sign] digits]
    const start = p;
    let negative = false;
    if (c === 45 || c === 43) { negative = c === 45; p++; }
    let mantissa = 0;
    let digits = 0;
    let scale = 0;
    while (p < n && bytes[p] >= 48 && bytes[p] <= 57) { if (digits < 17) mantissa = mantissa * 10 + (bytes[p] - 48); else scale++; digits++; p++; }
    if (p < n && bytes[p] === 46) {
      p++;
      while (p < n && bytes[p] >= 48 && bytes[p] <= 57) { if (digits < 17) { mantissa = mantissa * 10 + (bytes[p] - 48); scale--; } digits++; p++; }
    }
    if (p < n && (bytes[p] === 101 || bytes[p] === 69)) {
      p++;
      let expNegative = false;
      if (bytes[p] === 45 || bytes[p] === 43) { expNegative = bytes[p] === 45; p++; }
      let exponent = 0;
      let expDigits = 0;
      while (p < n && bytes[p] >= 48 && bytes[p] <= 57) { exponent = exponent * 10 + (bytes[p] - 48); expDigits++; p++; }
      if (expDigits === 0) digits = 0;
      scale += expNegative ? -exponent : exponent;
    }
    if (digits === 0 || (p < n && !(bytes[p] === 32 || bytes[p] === 9 || bytes[p] === 10 || bytes[p] === 13 || bytes[p] === 44))) {
      let end = p;
      while (end < n && bytes[end] !== 32 && bytes[end] !== 10 && end - start < 30) end++;
      const token = new TextDecoder().decode(bytes.subarray(start, end));
      throw new InputFileError(`${label}: line ${line}: '${token}' is not a number`);
    }
    let value: number;
    if (scale === 0) value = mantissa;
    else if (scale > 0) value = scale <= 22 ? mantissa * POW10[scale] : mantissa * 10 ** scale;
    else value = -scale <= 22 ? mantissa / POW10[-scale] : mantissa / 10 ** -scale;
    if (count === capacity) {
      capacity *= 2;
      const grown = new Float32Array(capacity);
      grown.set(values);
      values = grown;
    }
    values[count++] = negative ? -value : value;
    column++;
  }
  endLine();
  return { values: values.slice(0, count), rows };
}

/** Lines of a text file, trimmed, without blank ones. */
export function textLines(bytes: Uint8Array): string[] {
  return new TextDecoder().decode(bytes).split(/\r?\n/).map((l) => l.trim()).filter((l) => l.length > 0);
}

// C literal spelling: exact hexadecimal float literals (no decimal round trip) and integer arrays that
// stay readable in diffs (fixed number of values per line).

const view = new DataView(new ArrayBuffer(4));

/** A float32 value as an exact C99 hex literal, e.g. 0.75 → `0x1.8p-1f`, 0 → `0x0p+0f`. */
export function floatHex(value: number): string {
  view.setFloat32(0, value);
  const bits = view.getUint32(0);
  const sign = bits >>> 31 ? '-' : '';
  const exponent = (bits >>> 23) & 0xff;
  const mantissa = bits & 0x7fffff;
  if (exponent === 0xff) throw new RangeError(`cannot write ${value} as a C float literal (infinite or NaN weight); check the model for NaN/Inf`);
  if (exponent === 0 && mantissa === 0) return `${sign}0x0p+0f`;
  // 23 mantissa bits shifted left by one fill exactly 6 hex digits.
  const digits = (mantissa << 1).toString(16).padStart(6, '0').replace(/0+$/, '');
  const fraction = digits ? `.${digits}` : '';
  if (exponent === 0) return `${sign}0x0${fraction}p-126f`;
  const e = exponent - 127;
  return `${sign}0x1${fraction}p${e >= 0 ? '+' : ''}${e}f`;
}

/** An integer literal valid for any C integer type that can hold it (INT32_MIN needs a spelled-out form). */
export function intLiteral(value: number): string {
  if (value === -2147483648) return '(-2147483647 - 1)';
  if (!Number.isSafeInteger(value)) throw new RangeError(`internal: ${value} is not an exact integer`);
  return String(value);
}

/** Body of an array initializer, `perLine` values per line, indented. */
export function arrayBody(values: string[], perLine = 16, indent = '  '): string {
  const lines: string[] = [];
  for (let i = 0; i < values.length; i += perLine) lines.push(indent + values.slice(i, i + perLine).join(', ') + ',');
  return lines.join('\n');
}

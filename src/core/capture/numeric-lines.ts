// Numeric text lines from a board, as Edge Impulse's data forwarder reads them (one reading per line, values
// split by commas, tabs or spaces, at any baud rate the sketch chose), so Arduino sketches written for the
// forwarder work unchanged. Also understood: a header line naming the axes (`accX,accY,accZ`) and the
// Arduino Serial Plotter's `name:value` pairs, which name the axes too.
//
// The first line after connecting usually starts mid-line ("81,-0.12,9.7" may be the end of "0.81,…"), so,
// as the forwarder does, it is dropped — unless it is a header naming the axes — and never counted as bad.
// The axis count is the count three lines in a row agree on. Every other line that is not exactly that many
// numbers is counted and reported with its line number and text, never kept.

export type BadLineReason = 'not-numeric' | 'wrong-axis-count' | 'too-long' | 'board-error';

export interface BadLine {
  /** 1-based count of complete lines since the stream opened (the dropped first line is line 1). */
  line: number;
  reason: BadLineReason;
  /** The line as received (cut to 80 characters). */
  text: string;
  /** What is wrong, in words, starting with "line N". */
  message: string;
}

export interface ParsedReading { values: number[]; line: number; time: number }

export interface ParseResult { readings: ParsedReading[]; bad: BadLine[] }

/** A longer line means the bytes are not text lines at all (a wrong baud rate, a binary protocol). */
export const MAX_LINE_LENGTH = 4096;
/** Lines in a row with the same number of values before the axis count is trusted. */
const SETTLE_LINES = 3;

const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
const NAME = /^[A-Za-z_][A-Za-z0-9_.\-]*$/;

function quote(text: string): string {
  const cut = text.length > 80 ? `${text.slice(0, 77)}…` : text;
  return `'${cut.replace(/[\u0000-\u001f\u007f-\u009f\ufffd]/g, '�')}'`;
}

function splitValues(line: string): string[] {
  return line.split(/[,\t ]+/).filter((t) => t.length > 0);
}

export class NumericLineParser {
  private pending = '';
  private readonly decoder = new TextDecoder();
  private line = 0;
  private firstLineAhead = true;
  private settling: { line: string; count: number; values: number[]; time: number; number: number }[] = [];
  private axisCount: number | undefined;
  private names: string[] = [];

  constructor(options: { axisCount?: number } = {}) {
    this.axisCount = options.axisCount;
  }

  /** The number of values per reading, once known. */
  get axes(): number | undefined {
    return this.axisCount;
  }

  /** Axis names from a header line or `name:value` pairs; empty when the board gives none. */
  get axisNames(): string[] {
    return this.names;
  }

  /** Feeds bytes received at `time` (ms); returns the complete readings and bad lines they finished. */
  push(chunk: Uint8Array, time: number): ParseResult {
    const out: ParseResult = { readings: [], bad: [] };
    this.pending += this.decoder.decode(chunk, { stream: true });
    let newline: number;
    while ((newline = this.pending.indexOf('\n')) >= 0) {
      const text = this.pending.slice(0, newline).replace(/\r$/, '');
      this.pending = this.pending.slice(newline + 1);
      this.take(text, time, out);
    }
    if (this.pending.length > MAX_LINE_LENGTH) {
      this.line++;
      out.bad.push({ line: this.line, reason: 'too-long', text: quote(this.pending), message: `line ${this.line}: more than ${MAX_LINE_LENGTH} characters without a line end; is the baud rate the sketch's (Serial.begin)?` });
      this.pending = '';
      this.firstLineAhead = false;
    }
    return out;
  }

  private take(raw: string, time: number, out: ParseResult): void {
    const text = raw.trim();
    if (text.length === 0) return;
    this.line++;
    const first = this.firstLineAhead;
    this.firstLineAhead = false;
    if (/^ERR\b/i.test(text)) {
      out.bad.push({ line: this.line, reason: 'board-error', text: quote(text), message: `line ${this.line}: the board reports an error: ${quote(text)}` });
      return;
    }
    const tokens = splitValues(text);
    const named = tokens.every((t) => /^[^:]+:[^:]*$/.test(t));
    const valueTokens = named ? tokens.map((t) => t.slice(t.indexOf(':') + 1)) : tokens;
    const bad = valueTokens.find((t) => !NUMBER.test(t));
    if (bad !== undefined) {
      if (this.axisCount === undefined && !named && tokens.every((t) => NAME.test(t))) { this.names = tokens; return; }
      if (first) return;
      out.bad.push({ line: this.line, reason: 'not-numeric', text: quote(text), message: `line ${this.line}: ${quote(bad)} is not a number (in ${quote(text)})` });
      return;
    }
    if (first) return;
    const values = valueTokens.map(Number);
    if (named) this.names = tokens.map((t) => t.slice(0, t.indexOf(':')));
    if (this.axisCount === undefined) { this.settle(text, values, time, out); return; }
    if (values.length !== this.axisCount) {
      out.bad.push({ line: this.line, reason: 'wrong-axis-count', text: quote(text), message: `line ${this.line}: ${values.length} value${values.length === 1 ? '' : 's'} in ${quote(text)}; the stream has ${this.axisCount} axes${this.names.length === this.axisCount ? ` (${this.names.join(', ')})` : ''}` });
      return;
    }
    out.readings.push({ values, line: this.line, time });
  }

  /** Before the axis count is known: hold lines until SETTLE_LINES in a row agree. */
  private settle(text: string, values: number[], time: number, out: ParseResult): void {
    const last = this.settling[this.settling.length - 1];
    if (last && last.count !== values.length) {
      // The held lines disagree with this one: they were damaged (or this one is); keep counting from here.
      for (const held of this.settling) {
        out.bad.push({ line: held.number, reason: 'wrong-axis-count', text: quote(held.line), message: `line ${held.number}: ${held.count} value${held.count === 1 ? '' : 's'} in ${quote(held.line)}, while the lines after it have ${values.length}` });
      }
      this.settling = [];
    }
    this.settling.push({ line: text, count: values.length, values, time, number: this.line });
    if (this.settling.length < SETTLE_LINES) return;
    this.axisCount = values.length;
    if (this.names.length !== this.axisCount) this.names = [];
    for (const held of this.settling) out.readings.push({ values: held.values, line: held.number, time: held.time });
    this.settling = [];
  }
}

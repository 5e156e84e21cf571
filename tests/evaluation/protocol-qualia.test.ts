import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { evaluateQualiaBoard, formatPythonFloat32, formatQualiaVector, MAX_LINE_CHARS, parseQualiaResult } from '../../src/core/evaluation/protocol-qualia';
import { createMemoryPair, type ByteTransport } from '../../src/core/evaluation/transport';

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

  // Attack samples: a board must not turn an empty field into label 0 or slip a NaN score into the results.
  const hostile = readFileSync(resolve(__dirname, '../samples/hostile/qualia-lines/lines.tsv'), 'utf8')
    .split('\n').filter((l) => l && !l.startsWith('#')).map((l) => l.split('\t'));
  it.each(hostile)('refuses %j: %s', (line, reason) => {
    expect(() => parseQualiaResult(line)).toThrow(reason);
  });
});

describe("Qualia's protocol against a hostile board", () => {
  const ascii = (text: string) => Uint8Array.from(text, (c) => c.charCodeAt(0));

  /** A board that acks every vector, then answers with `answer(k)`. */
  function fakeBoard(board: ByteTransport, answer: (k: number) => string): void {
    let k = 0;
    let pending = '';
    board.onData((chunk) => {
      pending += String.fromCharCode(...chunk);
      while (pending.includes('\n')) {
        const line = pending.slice(0, pending.indexOf('\n') + 1);
        pending = pending.slice(line.length);
        void board.write(ascii(`${line.length}\r\n${answer(k++)}\r\n`));
      }
    });
    void board.write(ascii('READY\r\n'));
  }

  it('refuses endless bytes without a line break instead of buffering them', async () => {
    const [host, board] = createMemoryPair();
    void board.write(ascii('READY\r\n'));
    const done = evaluateQualiaBoard({ transport: host, vectors: [[0.5]], labels: [0], timeout: 5 });
    board.onData(() => { void board.write(new Uint8Array(MAX_LINE_CHARS + 10).fill(0x41)); });
    await expect(done).rejects.toThrow(/more than 4096 characters without a line break/);
  });

  it('refuses answers whose numbering restarts (the board rebooted mid-run)', async () => {
    const [host, board] = createMemoryPair();
    fakeBoard(board, (k) => `${k < 2 ? k + 1 : 1},0,1.000000,10`);
    await expect(evaluateQualiaBoard({ transport: host, vectors: [[1], [2], [3]], labels: [0, 0, 0], timeout: 5 }))
      .rejects.toThrow(/vector 2: the board numbered its answer 1 after 2/);
  });

  it("refuses an ack that is not exactly the byte count ('12abc')", async () => {
    const [host, board] = createMemoryPair();
    board.onData((chunk) => { void board.write(ascii(`${chunk.length}abc\r\n1,0,1.0,1\r\n`)); });
    void board.write(ascii('READY\r\n'));
    await expect(evaluateQualiaBoard({ transport: host, vectors: [[1]], labels: [0], timeout: 5 })).rejects.toThrow(/transmission error on vector 0/);
  });
});

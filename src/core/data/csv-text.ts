// Comma-separated text as datasets use it: a header row, then rows of cells (RFC 4180 quoting, CR LF or
// LF, blank lines skipped, an optional UTF-8 byte-order mark). Shared by the CSV and EdgeImpulse kinds and
// by the Data page's import dialog, so a file reads the same everywhere; rows keep their line numbers for
// messages.

import { InputFileError } from '../base/errors';

export interface CsvRow { line: number; cells: string[] }

export function splitCsvRow(line: string): string[] {
  const out: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quoted) {
      if (c === '"' && line[i + 1] === '"') { cell += '"'; i++; } else if (c === '"') quoted = false; else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') { out.push(cell.trim()); cell = ''; } else cell += c;
  }
  out.push(cell.trim());
  return out;
}

/** The header and the rows of a CSV file; every row must have the header's number of cells. */
export function readCsv(text: string, label: string, options: { maxRows?: number } = {}): { header: string[]; rows: CsvRow[] } {
  const lines = text.replace(/^\ufeff/, '').split(/\r?\n/);
  let at = 0;
  while (at < lines.length && lines[at].trim() === '') at++;
  if (at === lines.length) throw new InputFileError(`${label}: the file is empty; expected a header row and data rows`);
  const header = splitCsvRow(lines[at]);
  const rows: CsvRow[] = [];
  for (let i = at + 1; i < lines.length; i++) {
    if (lines[i].trim() === '') continue;
    const cells = splitCsvRow(lines[i]);
    if (cells.length !== header.length) {
      throw new InputFileError(`${label}: line ${i + 1} has ${cells.length} cell${cells.length === 1 ? '' : 's'}, the header (line ${at + 1}) has ${header.length} (${header.slice(0, 8).join(', ')}${header.length > 8 ? ', …' : ''}); every row needs one value per column — fix or remove that row`);
    }
    rows.push({ line: i + 1, cells });
    if (options.maxRows !== undefined && rows.length >= options.maxRows) break;
  }
  return { header, rows };
}

/** A cell as a number, or an InputFileError naming the file, line and column. */
export function csvNumber(cell: string, label: string, line: number, column: string): number {
  const v = Number(cell);
  if (cell === '' || !Number.isFinite(v)) throw new InputFileError(`${label}: line ${line}, column '${column}': '${cell}' is not a number (feature columns must be numeric)`);
  return v;
}

/** Columns of a CSV for the import dialog: names, a few rows, and the column most likely to hold the class. */
export function sniffCsv(text: string, label: string): { header: string[]; preview: string[][]; rows: number; labelGuess: string | undefined; numeric: boolean[] } {
  const { header, rows } = readCsv(text, label);
  const preview = rows.slice(0, 5).map((r) => r.cells);
  const numeric = header.map((_, j) => rows.every((r) => r.cells[j] !== '' && Number.isFinite(Number(r.cells[j]))));
  const named = header.find((h) => /^(label|class|target|category|species|y)$/i.test(h));
  const textual = header.filter((_, j) => !numeric[j]);
  return { header, preview, rows: rows.length, labelGuess: named ?? (textual.length === 1 ? textual[0] : header[header.length - 1]), numeric };
}

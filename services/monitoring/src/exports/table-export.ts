/**
 * Streaming CSV and XLSX export of report and analytics tables: what the district office downloads.
 *
 * A table is described once as an {@link ExportSheet} (Russian sheet name, typed columns with Russian headers,
 * rows from any sync or async iterable) and written either as CSV ({@link writeCsv}) or as an XLSX workbook
 * with one worksheet per section ({@link writeXlsx}). Both writers pull rows one at a time, respect the output's
 * back-pressure and never build the whole file in memory, so a district-wide export can run from a database cursor.
 *
 * Value conventions (the same row objects feed both formats):
 * - `text`    — any value, written with `String(value)`;
 * - `integer` — a number (or bigint, or numeric string) that is a whole number;
 * - `decimal` — a finite number (or numeric string); shown with `decimals` places (default 2);
 * - `percent` — a FRACTION 0–1 (0.875 = 87.5 %); XLSX keeps the fraction with a `0.0%` format, CSV writes 0–100;
 * - `date`    — a calendar date: `'YYYY-MM-DD'` (how the services store dates) or a `Date`, read by its UTC day;
 * - `null` / `undefined` — an empty cell in both formats.
 * A value that does not fit its column type is an error ({@link ExportValueError}), not silently changed.
 *
 * CSV decisions, for district staff who open the file by double-click in Russian-locale Excel:
 * - UTF-8 with a BOM (EF BB BF): without it Excel reads the file as Windows-1251 and the Cyrillic is garbled;
 * - `;` as the field separator: the Russian Windows list separator, so Excel splits columns on open;
 * - decimal comma (`4,25`): with the Russian locale Excel reads `4.25` as text or a date; the comma is safe
 *   inside a field because the separator is `;`. No thousands separator;
 * - percent columns as numbers 0–100 with the decimal comma (`87,5`) and `(%)` appended to the header;
 * - dates as `ДД.ММ.ГГГГ` (`01.09.2025`), which Russian Excel recognises as a date;
 * - RFC 4180 otherwise: CRLF line ends, a header line, a field is quoted when it holds `;`, `"`, CR or LF
 *   (and when it starts or ends with a space), a quote inside is doubled;
 * - spreadsheet formula injection guard: a TEXT value starting with `=`, `+`, `-`, `@`, TAB or CR gets a leading
 *   apostrophe, so Excel shows it as text instead of evaluating it (OWASP "CSV injection"). Numbers and dates are
 *   written by this module and never start with those characters, except negative numbers, which are not guarded.
 *
 * Both writers END the output stream and resolve once it has finished (e.g. the file is flushed). If a row value
 * is bad, the rows' iterator throws or the output fails, the promise rejects and the output is destroyed (without
 * an 'error' event of our making), so an HTTP download is dropped rather than delivered cut short; the rows'
 * iterator is closed (`return()`), which releases a database cursor behind it.
 */
import { once } from 'node:events';
import { finished } from 'node:stream/promises';
import type { Writable } from 'node:stream';
import * as ExcelJS from 'exceljs';

export type ExportColumnType = 'text' | 'integer' | 'decimal' | 'percent' | 'date';

export type ExportRow = Record<string, unknown>;

export interface ExportColumn {
  /** Property of the row object. */
  key: string;
  /** Column header in Russian. */
  header: string;
  type: ExportColumnType;
  /** Decimal places for `decimal` (default 2) and `percent` (default 1, of the 0–100 value). */
  decimals?: number;
  /** XLSX column width in characters; a default by type and header length otherwise. */
  width?: number;
}

export interface ExportSheet {
  /** Worksheet name in Russian, 1–31 characters, none of `[ ] : * ? / \`; unique within a workbook. */
  name: string;
  columns: readonly ExportColumn[];
  rows: AsyncIterable<ExportRow> | Iterable<ExportRow>;
}

/** A row value that does not fit its column's type. */
export class ExportValueError extends Error {
  constructor(
    readonly sheet: string,
    readonly rowNumber: number,
    readonly column: string,
    message: string,
  ) {
    super(`Export "${sheet}", row ${rowNumber}, column "${column}": ${message}`);
    this.name = 'ExportValueError';
  }
}

/** Maximum length Excel accepts for a worksheet name. */
export const MAX_SHEET_NAME_LENGTH = 31;
const SHEET_NAME_FORBIDDEN = /[[\]:*?/\\]/;
const CSV_BOM = '\uFEFF';
const CSV_SEPARATOR = ';';
const CSV_EOL = '\r\n';
/** Characters flushed to the output at once (the CSV is written in chunks of roughly this size). */
const CSV_CHUNK = 64 * 1024;

// ---------------------------------------------------------------- validation and value normalisation

function validateSheet(sheet: ExportSheet): void {
  const name = sheet.name;
  if (typeof name !== 'string' || name.trim() === '') throw new Error('Export sheet name must not be empty');
  if (name.length > MAX_SHEET_NAME_LENGTH) {
    throw new Error(`Export sheet name "${name}" is longer than ${MAX_SHEET_NAME_LENGTH} characters`);
  }
  if (SHEET_NAME_FORBIDDEN.test(name)) throw new Error(`Export sheet name "${name}" contains one of [ ] : * ? / \\`);
  if (name.startsWith("'") || name.endsWith("'")) throw new Error(`Export sheet name "${name}" starts or ends with '`);
  if (sheet.columns.length === 0) throw new Error(`Export sheet "${name}" has no columns`);
  const keys = new Set<string>();
  for (const column of sheet.columns) {
    if (keys.has(column.key)) throw new Error(`Export sheet "${name}" has the column key "${column.key}" twice`);
    keys.add(column.key);
    if (column.decimals !== undefined && !(Number.isInteger(column.decimals) && column.decimals >= 0 && column.decimals <= 10)) {
      throw new Error(`Export sheet "${name}", column "${column.key}": decimals must be an integer 0–10`);
    }
  }
}

function decimalsOf(column: ExportColumn): number {
  return column.decimals ?? (column.type === 'percent' ? 1 : 2);
}

function toFiniteNumber(value: unknown, fail: (message: string) => never): number {
  let n: number;
  if (typeof value === 'number') n = value;
  else if (typeof value === 'bigint') n = Number(value);
  else if (typeof value === 'string' && value.trim() !== '') n = Number(value);
  else return fail(`expected a number, got ${describe(value)}`);
  if (!Number.isFinite(n)) fail(`expected a finite number, got ${describe(value)}`);
  return n;
}

interface CalendarDate {
  year: number;
  month: number;
  day: number;
}

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})(?:$|T)/;

function toCalendarDate(value: unknown, fail: (message: string) => never): CalendarDate {
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) fail('invalid Date');
    return { year: value.getUTCFullYear(), month: value.getUTCMonth() + 1, day: value.getUTCDate() };
  }
  if (typeof value === 'string') {
    const m = ISO_DATE.exec(value);
    if (m) {
      const date = { year: Number(m[1]), month: Number(m[2]), day: Number(m[3]) };
      const check = new Date(Date.UTC(date.year, date.month - 1, date.day));
      if (check.getUTCMonth() + 1 === date.month && check.getUTCDate() === date.day) return date;
    }
  }
  return fail(`expected a date ('YYYY-MM-DD' or Date), got ${describe(value)}`);
}

function describe(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  if (value instanceof Date) return 'Invalid Date';
  return typeof value === 'object' ? Object.prototype.toString.call(value) : String(value);
}

type Normalised = { kind: 'empty' } | { kind: 'text'; value: string } | { kind: 'number'; value: number } | { kind: 'date'; value: CalendarDate };

function normalise(sheet: ExportSheet, rowNumber: number, column: ExportColumn, raw: unknown): Normalised {
  if (raw === null || raw === undefined) return { kind: 'empty' };
  const fail = (message: string): never => {
    throw new ExportValueError(sheet.name, rowNumber, column.key, message);
  };
  switch (column.type) {
    case 'text':
      return { kind: 'text', value: raw instanceof Date ? raw.toISOString() : String(raw) };
    case 'integer': {
      const n = toFiniteNumber(raw, fail);
      if (!Number.isInteger(n)) fail(`expected a whole number, got ${describe(raw)}`);
      return { kind: 'number', value: n };
    }
    case 'decimal':
    case 'percent':
      return { kind: 'number', value: toFiniteNumber(raw, fail) };
    case 'date':
      return { kind: 'date', value: toCalendarDate(raw, fail) };
    default:
      return fail(`unknown column type ${String((column as { type: unknown }).type)}`);
  }
}

async function* iterate<T>(rows: AsyncIterable<T> | Iterable<T>): AsyncGenerator<T> {
  // `for await` accepts both; a generator keeps the caller's loop uniform.
  for await (const row of rows) yield row;
}

// ---------------------------------------------------------------- CSV

const pad2 = (n: number): string => String(n).padStart(2, '0');

/** `ДД.ММ.ГГГГ`. */
export function formatRuDate(date: CalendarDate): string {
  return `${pad2(date.day)}.${pad2(date.month)}.${String(date.year).padStart(4, '0')}`;
}

/** A number with a fixed number of places and a decimal comma, no thousands separator; never `-0`. */
export function formatRuNumber(value: number, decimals: number): string {
  let s = value.toFixed(decimals);
  if (/^-0(?:\.0*)?$/.test(s)) s = s.slice(1);
  return s.replace('.', ',');
}

/** The CSV header of a column: percent columns say `(%)` unless the header already does. */
export function csvHeader(column: ExportColumn): string {
  if (column.type === 'percent' && !/\(%\)\s*$/.test(column.header)) return `${column.header} (%)`;
  return column.header;
}

const FORMULA_START = /^[=+\-@\t\r]/;

/** One CSV field: RFC 4180 quoting with `;` as the separator. */
export function csvField(text: string): string {
  if (/[";\r\n]/.test(text) || /^\s|\s$/.test(text)) return `"${text.replace(/"/g, '""')}"`;
  return text;
}

function csvCell(column: ExportColumn, value: Normalised): string {
  switch (value.kind) {
    case 'empty':
      return '';
    case 'text':
      return csvField(FORMULA_START.test(value.value) ? `'${value.value}` : value.value);
    case 'date':
      return formatRuDate(value.value);
    case 'number':
      if (column.type === 'integer') return String(value.value);
      if (column.type === 'percent') return formatRuNumber(value.value * 100, decimalsOf(column));
      return formatRuNumber(value.value, decimalsOf(column));
  }
}

/** Fails instead of waiting forever for a 'drain' that a destroyed or failed output will never emit. */
function assertWritable(output: Writable): void {
  if (output.destroyed || output.writableEnded) {
    throw output.errored ?? new Error('The export output was closed before the export finished');
  }
}

async function writeChunk(output: Writable, chunk: string): Promise<void> {
  assertWritable(output);
  if (!output.write(chunk, 'utf8')) {
    assertWritable(output);
    await once(output, 'drain');
  }
}

/**
 * Writes one table as CSV for Russian-locale Excel (UTF-8 with BOM, `;`, decimal comma, `ДД.ММ.ГГГГ`; see the
 * module comment), row by row with back-pressure, then ends `output` and waits until it has finished.
 */
export async function writeCsv(sheet: ExportSheet, output: Writable): Promise<void> {
  validateSheet(sheet);
  try {
    let buffer = CSV_BOM + sheet.columns.map((c) => csvField(csvHeader(c))).join(CSV_SEPARATOR) + CSV_EOL;
    let rowNumber = 0;
    for await (const row of iterate(sheet.rows)) {
      rowNumber += 1;
      const cells = sheet.columns.map((column) => csvCell(column, normalise(sheet, rowNumber, column, row[column.key])));
      buffer += cells.join(CSV_SEPARATOR) + CSV_EOL;
      if (buffer.length >= CSV_CHUNK) {
        const chunk = buffer;
        buffer = '';
        await writeChunk(output, chunk);
      }
    }
    if (buffer) await writeChunk(output, buffer);
    output.end();
    await finished(output);
  } catch (error) {
    abort(output);
    throw error;
  }
}

/**
 * Stops a failed export: the output is destroyed WITHOUT an error argument, so a caller that does not listen for
 * 'error' is not crashed by an unhandled 'error' event; the failure is reported by the rejected promise. An HTTP
 * response destroyed this way drops the connection, so the client never mistakes a cut file for a complete one.
 */
function abort(output: Writable): void {
  if (!output.destroyed) output.destroy();
}

// ---------------------------------------------------------------- XLSX

/** The XLSX number format of a column (`undefined` for text). */
export function xlsxNumFmt(column: ExportColumn): string | undefined {
  const places = (n: number): string => (n > 0 ? `0.${'0'.repeat(n)}` : '0');
  switch (column.type) {
    case 'integer':
      return '0';
    case 'decimal':
      return places(decimalsOf(column));
    case 'percent':
      return `${places(decimalsOf(column))}%`;
    case 'date':
      return 'dd.mm.yyyy';
    default:
      return undefined;
  }
}

const DEFAULT_WIDTH: Record<ExportColumnType, number> = { text: 24, integer: 10, decimal: 12, percent: 10, date: 12 };

function xlsxWidth(column: ExportColumn): number {
  if (column.width !== undefined) return column.width;
  // Wrap-free header: a bit wider than the header's longest word, capped so long headers wrap instead.
  const longestWord = Math.max(...column.header.split(/\s+/).map((w) => w.length));
  return Math.min(60, Math.max(DEFAULT_WIDTH[column.type], longestWord + 2));
}

function xlsxValue(value: Normalised): ExcelJS.CellValue {
  switch (value.kind) {
    case 'empty':
      return null;
    case 'text':
    case 'number':
      return value.value;
    case 'date':
      // ExcelJS converts a Date to the Excel serial from its UTC time, so UTC midnight is exactly that day.
      return new Date(Date.UTC(value.value.year, value.value.month - 1, value.value.day));
  }
}

/**
 * Writes an XLSX workbook, one worksheet per sheet (in order), through ExcelJS's streaming writer: a bold, frozen
 * Russian header row, typed cells (numbers with `0` / `0.00` / `0.0%` formats, real dates as `dd.mm.yyyy`, text as
 * text; inline strings, no shared-string table held in memory), column widths, every row committed as soon as it is
 * written. Ends `output` and waits until it has finished.
 */
export async function writeXlsx(sheets: readonly ExportSheet[], output: Writable): Promise<void> {
  if (sheets.length === 0) throw new Error('An XLSX export needs at least one sheet');
  const names = new Set<string>();
  for (const sheet of sheets) {
    validateSheet(sheet);
    const folded = sheet.name.toLocaleLowerCase('ru');
    if (names.has(folded)) throw new Error(`Export sheet name "${sheet.name}" is used twice`);
    names.add(folded);
  }

  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: output, useStyles: true, useSharedStrings: false });
  const done = finished(output);
  done.catch(() => undefined); // observed below; avoids an unhandled rejection if we fail first
  // If the output fails (disk full, client gone), ExcelJS's zip stream would wait for it forever: race it.
  let onError: (error: Error) => void = () => undefined;
  const outputFailed = new Promise<never>((_, reject) => {
    onError = reject;
    output.once('error', onError);
  });
  outputFailed.catch(() => undefined);

  let stopped = false; // set when the race below is lost, so the producer stops and closes the rows iterator
  const produce = async (): Promise<void> => {
    workbook.creator = 'district monitoring';
    workbook.created = new Date();
    for (const sheet of sheets) {
      const worksheet = workbook.addWorksheet(sheet.name, { views: [{ state: 'frozen', xSplit: 0, ySplit: 1 }] });
      worksheet.columns = sheet.columns.map((column) => ({ key: column.key, width: xlsxWidth(column) }));
      const numFmts = sheet.columns.map(xlsxNumFmt);

      const header = worksheet.getRow(1);
      sheet.columns.forEach((column, i) => {
        header.getCell(i + 1).value = column.header;
      });
      header.font = { bold: true };
      header.alignment = { vertical: 'middle', wrapText: true };
      header.commit();

      let rowNumber = 0;
      for await (const row of iterate(sheet.rows)) {
        if (stopped) throw new Error('XLSX export stopped');
        assertWritable(output);
        rowNumber += 1;
        const xlsxRow = worksheet.getRow(rowNumber + 1);
        sheet.columns.forEach((column, i) => {
          const value = normalise(sheet, rowNumber, column, row[column.key]);
          if (value.kind === 'empty') return;
          const cell = xlsxRow.getCell(i + 1);
          cell.value = xlsxValue(value);
          const numFmt = numFmts[i];
          if (numFmt) cell.numFmt = numFmt;
        });
        xlsxRow.commit();
        // Let the zip stream drain: ExcelJS does not expose back-pressure to the producer.
        if (output.writableNeedDrain) await Promise.race([once(output, 'drain'), outputFailed]);
      }
      await worksheet.commit();
    }
    await workbook.commit();
  };

  const producing = produce();
  try {
    await Promise.race([producing, outputFailed]);
    await done;
  } catch (error) {
    stopped = true;
    abort(output);
    // Give the producer a moment to see `stopped` and close the rows iterator; it may instead be stuck in a commit
    // waiting on the dead output, which must not hang the caller.
    await Promise.race([producing.catch(() => undefined), new Promise((r) => setTimeout(r, 1000).unref())]);
    throw error;
  } finally {
    output.removeListener('error', onError);
  }
}

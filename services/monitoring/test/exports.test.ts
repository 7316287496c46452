import { createReadStream, createWriteStream, promises as fs } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Writable } from 'node:stream';
import { createInterface } from 'node:readline';
import * as ExcelJS from 'exceljs';
import { type ExportSheet, ExportValueError, writeCsv, writeXlsx } from '../src/exports/table-export';

/** Collects everything written to a stream into one buffer. */
function collector(): { stream: Writable; buffer: () => Buffer } {
  const chunks: Buffer[] = [];
  const stream = new PassThrough();
  stream.on('data', (c: Buffer) => chunks.push(c));
  return { stream, buffer: () => Buffer.concat(chunks) };
}

/** A small RFC 4180 parser for `;`-separated text (quotes, doubled quotes, CRLF, newlines inside quotes). */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ';') {
      row.push(field);
      field = '';
    } else if (ch === '\r' && text[i + 1] === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      i++;
    } else field += ch;
  }
  if (field !== '' || row.length > 0) throw new Error(`CSV does not end with CRLF: ${JSON.stringify(text.slice(-40))}`);
  return rows;
}

const schoolsSheet = (): ExportSheet => ({
  name: 'Заполнение журнала',
  columns: [
    { key: 'school', header: 'Школа', type: 'text' },
    { key: 'lessons', header: 'Проведено уроков', type: 'integer' },
    { key: 'avg', header: 'Средний балл', type: 'decimal' },
    { key: 'topicShare', header: 'Доля уроков с темой', type: 'percent' },
    { key: 'closedOn', header: 'Дата закрытия', type: 'date' },
  ],
  rows: [
    { school: 'ГБОУ Школа № 1', lessons: 1240, avg: 4.256, topicShare: 0.875, closedOn: '2025-10-01' },
    { school: 'Лицей «Вторая школа»; корпус 2', lessons: 980, avg: 3.5, topicShare: 1, closedOn: new Date(Date.UTC(2025, 9, 2)) },
    { school: 'Школа "Радуга"\nфилиал', lessons: 0, avg: null, topicShare: 0, closedOn: undefined },
  ],
});

async function* riskRows(): AsyncGenerator<Record<string, unknown>> {
  yield { group: '5А', subject: 'Математика', students: 3, share: 0.125 };
  await new Promise((r) => setImmediate(r));
  yield { group: '11Б', subject: 'Русский язык', students: 0n, share: '0.5' };
}

const riskSheet = (): ExportSheet => ({
  name: 'Группа риска',
  columns: [
    { key: 'group', header: 'Класс', type: 'text' },
    { key: 'subject', header: 'Предмет', type: 'text', width: 30 },
    { key: 'students', header: 'Учеников в группе риска', type: 'integer' },
    { key: 'share', header: 'Доля', type: 'percent' },
  ],
  rows: riskRows(),
});

describe('XLSX export', () => {
  it('writes one typed worksheet per section that a reader library reads back', async () => {
    const out = collector();
    await writeXlsx([schoolsSheet(), riskSheet()], out.stream);

    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(out.buffer() as unknown as ExcelJS.Buffer);
    expect(workbook.worksheets.map((w) => w.name)).toEqual(['Заполнение журнала', 'Группа риска']);

    const ws = workbook.getWorksheet('Заполнение журнала')!;
    expect(ws.getRow(1).values).toEqual([undefined, 'Школа', 'Проведено уроков', 'Средний балл', 'Доля уроков с темой', 'Дата закрытия']);
    expect(ws.getRow(1).getCell(1).font?.bold).toBe(true);
    expect(ws.getRow(1).getCell(5).font?.bold).toBe(true);
    expect(ws.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
    expect(ws.rowCount).toBe(4);

    const r2 = ws.getRow(2);
    expect(r2.getCell(1).type).toBe(ExcelJS.ValueType.String);
    expect(r2.getCell(1).value).toBe('ГБОУ Школа № 1');
    expect(r2.getCell(2).type).toBe(ExcelJS.ValueType.Number);
    expect(r2.getCell(2).value).toBe(1240);
    expect(r2.getCell(2).numFmt).toBe('0');
    expect(r2.getCell(3).type).toBe(ExcelJS.ValueType.Number);
    expect(r2.getCell(3).value).toBe(4.256); // full precision kept; the format rounds the display
    expect(r2.getCell(3).numFmt).toBe('0.00');
    expect(r2.getCell(4).type).toBe(ExcelJS.ValueType.Number);
    expect(r2.getCell(4).value).toBe(0.875);
    expect(r2.getCell(4).numFmt).toBe('0.0%');
    expect(r2.getCell(5).type).toBe(ExcelJS.ValueType.Date);
    expect(r2.getCell(5).value).toEqual(new Date(Date.UTC(2025, 9, 1)));
    expect(r2.getCell(5).numFmt).toBe('dd.mm.yyyy');

    const r3 = ws.getRow(3);
    expect(r3.getCell(1).value).toBe('Лицей «Вторая школа»; корпус 2');
    expect(r3.getCell(4).value).toBe(1);
    expect(r3.getCell(5).value).toEqual(new Date(Date.UTC(2025, 9, 2)));

    const r4 = ws.getRow(4);
    expect(r4.getCell(1).value).toBe('Школа "Радуга"\nфилиал');
    expect(r4.getCell(2).value).toBe(0);
    expect(r4.getCell(2).type).toBe(ExcelJS.ValueType.Number);
    expect(r4.getCell(3).type).toBe(ExcelJS.ValueType.Null);
    expect(r4.getCell(5).type).toBe(ExcelJS.ValueType.Null);

    expect(ws.getColumn(1).width).toBeGreaterThanOrEqual(20);
    expect(ws.getColumn(5).width).toBeGreaterThanOrEqual(12);

    const risk = workbook.getWorksheet('Группа риска')!;
    expect(risk.getRow(1).values).toEqual([undefined, 'Класс', 'Предмет', 'Учеников в группе риска', 'Доля']);
    expect(risk.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
    expect(risk.getColumn(2).width).toBe(30);
    expect(risk.rowCount).toBe(3);
    expect(risk.getRow(2).getCell(1).value).toBe('5А');
    expect(risk.getRow(2).getCell(3).value).toBe(3);
    expect(risk.getRow(2).getCell(4).value).toBe(0.125);
    expect(risk.getRow(2).getCell(4).numFmt).toBe('0.0%');
    expect(risk.getRow(3).getCell(1).value).toBe('11Б');
    expect(risk.getRow(3).getCell(3).value).toBe(0); // bigint accepted
    expect(risk.getRow(3).getCell(3).type).toBe(ExcelJS.ValueType.Number);
    expect(risk.getRow(3).getCell(4).value).toBe(0.5); // numeric string accepted
  });

  it('keeps numeric-looking text as text', async () => {
    const out = collector();
    await writeXlsx([{ name: 'Коды', columns: [{ key: 'code', header: 'Код', type: 'text' }], rows: [{ code: '007' }, { code: 12 }] }], out.stream);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(out.buffer() as unknown as ExcelJS.Buffer);
    const ws = workbook.worksheets[0]!;
    expect(ws.getRow(2).getCell(1).value).toBe('007');
    expect(ws.getRow(3).getCell(1).value).toBe('12');
    expect(ws.getRow(3).getCell(1).type).toBe(ExcelJS.ValueType.String);
  });

  it('rejects bad sheet names before writing anything', async () => {
    const sheet = (name: string): ExportSheet => ({ name, columns: [{ key: 'a', header: 'А', type: 'text' }], rows: [] });
    await expect(writeXlsx([sheet('Очень длинное название листа отчёта')], new PassThrough())).rejects.toThrow(/longer than 31/);
    await expect(writeXlsx([sheet('Итоги: май')], new PassThrough())).rejects.toThrow(/contains/);
    await expect(writeXlsx([sheet('Отчёт'), sheet('ОТЧЁТ')], new PassThrough())).rejects.toThrow(/used twice/);
    await expect(writeXlsx([], new PassThrough())).rejects.toThrow(/at least one sheet/);
  });

  it('fails with the row and column of a value that does not fit its type, and destroys the output', async () => {
    const out = new PassThrough();
    out.resume();
    const sheet: ExportSheet = {
      name: 'Оценки',
      columns: [{ key: 'n', header: 'Число оценок', type: 'integer' }],
      rows: [{ n: 1 }, { n: 2.5 }],
    };
    await expect(writeXlsx([sheet], out)).rejects.toThrow(ExportValueError);
    await expect(writeXlsx([sheet], new PassThrough())).rejects.toThrow(/row 2, column "n": expected a whole number/);
    expect(out.destroyed).toBe(true);
  });
});

describe('CSV export', () => {
  async function csvOf(sheet: ExportSheet): Promise<Buffer> {
    const out = collector();
    await writeCsv(sheet, out.stream);
    return out.buffer();
  }

  it('writes UTF-8 with BOM, ";" separators, CRLF, decimal comma, percent 0–100 and ДД.ММ.ГГГГ dates', async () => {
    const buffer = await csvOf(schoolsSheet());
    expect([...buffer.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = buffer.toString('utf8').slice(1);
    expect(text).toBe(
      'Школа;Проведено уроков;Средний балл;Доля уроков с темой (%);Дата закрытия\r\n' +
        'ГБОУ Школа № 1;1240;4,26;87,5;01.10.2025\r\n' +
        '"Лицей «Вторая школа»; корпус 2";980;3,50;100,0;02.10.2025\r\n' +
        '"Школа ""Радуга""\nфилиал";0;;0,0;\r\n',
    );
    expect(parseCsv(text)).toEqual([
      ['Школа', 'Проведено уроков', 'Средний балл', 'Доля уроков с темой (%)', 'Дата закрытия'],
      ['ГБОУ Школа № 1', '1240', '4,26', '87,5', '01.10.2025'],
      ['Лицей «Вторая школа»; корпус 2', '980', '3,50', '100,0', '02.10.2025'],
      ['Школа "Радуга"\nфилиал', '0', '', '0,0', ''],
    ]);
  });

  it('round-trips Russian text with separators, quotes and newlines through an RFC 4180 parser', async () => {
    const texts = [
      'Иванов Иван Иванович',
      'Тема: «Сложение дробей»; повторение',
      'Он сказал "здравствуй"',
      'строка 1\r\nстрока 2\nстрока 3',
      ' пробел в начале',
      'ёЁ — «ёлка»',
      '',
    ];
    const buffer = await csvOf({
      name: 'Темы',
      columns: [
        { key: 'n', header: '№', type: 'integer' },
        { key: 't', header: 'Тема; урока "по плану"', type: 'text' },
      ],
      rows: texts.map((t, i) => ({ n: i + 1, t })),
    });
    const rows = parseCsv(buffer.toString('utf8').replace(/^\uFEFF/, ''));
    expect(rows[0]).toEqual(['№', 'Тема; урока "по плану"']);
    expect(rows.slice(1)).toEqual(texts.map((t, i) => [String(i + 1), t]));
  });

  it('formats decimals with a comma and the column precision, never -0', async () => {
    const buffer = await csvOf({
      name: 'Числа',
      columns: [
        { key: 'd', header: 'Значение', type: 'decimal' },
        { key: 'd3', header: 'Точно', type: 'decimal', decimals: 3 },
        { key: 'p', header: 'Доля (%)', type: 'percent', decimals: 0 },
      ],
      rows: [
        { d: 0.1 + 0.2, d3: 1234567.8916, p: 0.333 },
        { d: -0.001, d3: -2, p: 0.999 },
        { d: '5', d3: 10n, p: 0 },
      ],
    });
    expect(buffer.toString('utf8').slice(1).split('\r\n')).toEqual(['Значение;Точно;Доля (%)', '0,30;1234567,892;33', '0,00;-2,000;100', '5,00;10,000;0', '']);
  });

  it('guards text that Excel would run as a formula', async () => {
    const buffer = await csvOf({
      name: 'Формулы',
      columns: [
        { key: 't', header: 'Комментарий', type: 'text' },
        { key: 'n', header: 'Число', type: 'decimal' },
      ],
      rows: [
        { t: '=HYPERLINK("http://x")', n: -1.5 },
        { t: '+7 999', n: 0 },
        { t: 'обычный', n: 1 },
      ],
    });
    expect(parseCsv(buffer.toString('utf8').slice(1))).toEqual([
      ['Комментарий', 'Число'],
      ['\'=HYPERLINK("http://x")', '-1,50'],
      ["'+7 999", '0,00'],
      ['обычный', '1,00'],
    ]);
  });

  it('rejects a bad date with its row and column and destroys the output', async () => {
    const out = new PassThrough();
    out.resume();
    await expect(writeCsv({ name: 'Даты', columns: [{ key: 'd', header: 'Дата', type: 'date' }], rows: [{ d: '2025-02-30' }] }, out)).rejects.toThrow(
      /row 1, column "d": expected a date/,
    );
    expect(out.destroyed).toBe(true);
  });
});

describe('failures while streaming', () => {
  const sheet = (rows: AsyncIterable<Record<string, unknown>>): ExportSheet => ({
    name: 'Отчёт',
    columns: [{ key: 'n', header: 'Номер', type: 'integer' }],
    rows,
  });
  const failingOutput = (): Writable =>
    new Writable({
      write(_chunk, _encoding, callback) {
        callback(new Error('диск заполнен'));
      },
    });
  async function* endless(closed: { value: boolean }): AsyncGenerator<Record<string, unknown>> {
    try {
      for (let n = 0; ; n++) {
        if (n % 1000 === 0) await new Promise((r) => setImmediate(r));
        yield { n };
      }
    } finally {
      closed.value = true;
    }
  }

  it.each(['csv', 'xlsx'])('%s: an output error rejects the export and closes the rows iterator', async (format) => {
    const closed = { value: false };
    const write = format === 'csv' ? writeCsv(sheet(endless(closed)), failingOutput()) : writeXlsx([sheet(endless(closed))], failingOutput());
    await expect(write).rejects.toThrow('диск заполнен');
    expect(closed.value).toBe(true);
  });

  it.each(['csv', 'xlsx'])('%s: a failing rows iterator rejects the export and destroys the output', async (format) => {
    async function* broken(): AsyncGenerator<Record<string, unknown>> {
      yield { n: 1 };
      throw new Error('соединение с базой потеряно');
    }
    const out = new PassThrough();
    out.resume();
    const write = format === 'csv' ? writeCsv(sheet(broken()), out) : writeXlsx([sheet(broken())], out);
    await expect(write).rejects.toThrow('соединение с базой потеряно');
    expect(out.destroyed).toBe(true);
  });
});

describe('streaming a district-wide export', () => {
  const ROWS = 200_000;
  const MB = 1024 * 1024;
  let dir: string;
  beforeAll(async () => {
    dir = await fs.mkdtemp(join(tmpdir(), 'exports-test-'));
  });
  afterAll(async () => {
    await fs.rm(dir, { recursive: true, force: true });
  });

  const subjects = ['Математика', 'Русский язык', 'Литература', 'История', 'Физика', 'Химия', 'Биология'];
  function generated(stats: { peak: number }): ExportSheet {
    async function* rows(): AsyncGenerator<Record<string, unknown>> {
      for (let i = 0; i < ROWS; i++) {
        if (i % 5000 === 0) {
          stats.peak = Math.max(stats.peak, process.memoryUsage().heapUsed);
          await new Promise((r) => setImmediate(r));
        }
        yield {
          school: `Школа № ${(i % 300) + 1}`,
          group: `${(i % 11) + 1}${'АБВГ'[i % 4]}`,
          subject: subjects[i % subjects.length],
          student: `Ученик ${i}; "тестовый"`,
          marks: i % 40,
          avg: 2 + (i % 300) / 100,
          quality: (i % 1000) / 1000,
          date: `2025-${String((i % 9) + 1).padStart(2, '0')}-${String((i % 28) + 1).padStart(2, '0')}`,
        };
      }
    }
    return {
      name: 'Успеваемость',
      columns: [
        { key: 'school', header: 'Школа', type: 'text' },
        { key: 'group', header: 'Класс', type: 'text' },
        { key: 'subject', header: 'Предмет', type: 'text' },
        { key: 'student', header: 'Ученик', type: 'text' },
        { key: 'marks', header: 'Оценок', type: 'integer' },
        { key: 'avg', header: 'Средний балл', type: 'decimal' },
        { key: 'quality', header: 'Качество', type: 'percent' },
        { key: 'date', header: 'Дата', type: 'date' },
      ],
      rows: rows(),
    };
  }

  it(`writes ${ROWS} CSV rows from an async generator with bounded heap`, async () => {
    const file = join(dir, 'district.csv');
    const before = process.memoryUsage().heapUsed;
    const stats = { peak: before };
    const started = performance.now();
    await writeCsv(generated(stats), createWriteStream(file));
    const ms = performance.now() - started;
    const after = process.memoryUsage().heapUsed;
    stats.peak = Math.max(stats.peak, after);

    let lines = 0;
    for await (const line of createInterface({ input: createReadStream(file, 'utf8'), crlfDelay: Infinity })) {
      if (line !== '') lines++;
    }
    const size = (await fs.stat(file)).size;
    console.log(
      `CSV: ${ROWS} rows, ${(size / MB).toFixed(1)} MB in ${(ms / 1000).toFixed(2)} s; heapUsed before ${(before / MB).toFixed(1)} MB, ` +
        `peak ${(stats.peak / MB).toFixed(1)} MB (+${((stats.peak - before) / MB).toFixed(1)}), after ${(after / MB).toFixed(1)} MB`,
    );
    expect(lines).toBe(ROWS + 1);
    expect(size).toBeGreaterThan(10 * MB); // the file is much bigger than the heap growth allowed below
    expect(stats.peak - before).toBeLessThan(60 * MB);
  }, 180_000);

  it(`writes ${ROWS} XLSX rows from an async generator with bounded heap`, async () => {
    const file = join(dir, 'district.xlsx');
    const before = process.memoryUsage().heapUsed;
    const stats = { peak: before };
    const started = performance.now();
    await writeXlsx([generated(stats)], createWriteStream(file));
    const ms = performance.now() - started;
    const after = process.memoryUsage().heapUsed;
    stats.peak = Math.max(stats.peak, after);
    const size = (await fs.stat(file)).size;
    console.log(
      `XLSX: ${ROWS} rows, ${(size / MB).toFixed(1)} MB in ${(ms / 1000).toFixed(2)} s; heapUsed before ${(before / MB).toFixed(1)} MB, ` +
        `peak ${(stats.peak / MB).toFixed(1)} MB (+${((stats.peak - before) / MB).toFixed(1)}), after ${(after / MB).toFixed(1)} MB`,
    );
    expect(stats.peak - before).toBeLessThan(60 * MB);

    // Read it back with ExcelJS's streaming reader: every row is there, typed.
    const reader = new ExcelJS.stream.xlsx.WorkbookReader(file, { worksheets: 'emit', sharedStrings: 'cache', styles: 'cache' });
    let rows = 0;
    let sample: ExcelJS.Row | undefined;
    for await (const worksheetReader of reader) {
      for await (const row of worksheetReader as AsyncIterable<ExcelJS.Row>) {
        rows++;
        if (rows === 12_346) sample = row;
      }
    }
    expect(rows).toBe(ROWS + 1);
    const i = 12_344; // data row index of spreadsheet row 12 346
    expect(sample!.getCell(1).value).toBe(`Школа № ${(i % 300) + 1}`);
    expect(sample!.getCell(5).value).toBe(i % 40);
    expect(sample!.getCell(6).value).toBeCloseTo(2 + (i % 300) / 100, 10);
    expect(sample!.getCell(7).value).toBeCloseTo((i % 1000) / 1000, 10);
  }, 300_000);
});

/**
 * Renders an ArchiveModel as a printable A4 landscape PDF laid out like the
 * paper class journal: a title page, the class list, then for every subject
 * its grid pages (students × lesson dates, at most 20 dates a page) each
 * followed by the list of those lessons (date, topic, homework, forms of
 * control), and the subject's results per term (weighted average, term
 * grade, lessons missed).
 *
 * The font is DejaVu Sans Condensed from the `dejavu-fonts-ttf` package,
 * embedded as a subset, so Cyrillic prints and the text can be extracted on
 * any machine.
 */
import * as path from 'node:path';
import PDFDocument from 'pdfkit';
import type { ArchiveCell, ArchiveLesson, ArchiveModel, ArchiveStudent, ArchiveSubject, ArchiveTerm, AttendanceCode } from './archive-model';

const FONT_DIR = path.join(path.dirname(require.resolve('dejavu-fonts-ttf/package.json')), 'ttf');
const FONTS = {
  regular: path.join(FONT_DIR, 'DejaVuSansCondensed.ttf'),
  bold: path.join(FONT_DIR, 'DejaVuSansCondensed-Bold.ttf'),
  mono: path.join(FONT_DIR, 'DejaVuSansMono.ttf'),
};

// A4 landscape, in points. The wider left margin is the binding edge.
const PAGE = { width: 841.89, height: 595.28 };
const MARGIN = { left: 36, right: 24, top: 24, bottom: 34 };
const CONTENT_WIDTH = PAGE.width - MARGIN.left - MARGIN.right;
const BOTTOM = PAGE.height - MARGIN.bottom;
const FOOTER_BASELINE = PAGE.height - 16;
/** The title page's facts column; the contents take the rest. */
const TITLE_LEFT_WIDTH = 470;

/** Lesson dates per grid page, as in the paper journal's spread. */
export const LESSONS_PER_PAGE = 20;

const GRID = { numberWidth: 16, monthRow: 11, dayRow: 12, row: 13, cellFont: 7.5, nameFont: 8 };
const LIST = { font: 7.5, pad: 2.5, header: 12 };
const COLOURS = {
  text: '#000000',
  muted: '#555555',
  rule: '#808080',
  light: '#c8c8c8',
  shade: '#e4e4e4',
  cancelled: '#d0d0d0',
  header: '#f0f0f0',
  absence: '#8a0000',
};

export const ATTENDANCE_LETTERS: Record<AttendanceCode, string> = { ABSENT: 'Н', ILL: 'Б', EXCUSED: 'УП', LATE: 'ОП' };
const MARK_TEXT: Record<string, string> = { PASS: 'зач', FAIL: 'незач' };
const GRADE_TEXT: Record<string, string> = { PASS: 'зач', FAIL: 'незач', NOT_ASSESSED: 'н/а', EXEMPT: 'осв.' };
const MONTHS = ['январь', 'февраль', 'март', 'апрель', 'май', 'июнь', 'июль', 'август', 'сентябрь', 'октябрь', 'ноябрь', 'декабрь'];
const MONTHS_SHORT = ['янв', 'фев', 'мар', 'апр', 'май', 'июн', 'июл', 'авг', 'сен', 'окт', 'ноя', 'дек'];
export const NO_TERM_GRADES = 'Четвертные отметки: не выставлены';
export const NO_YEAR_GRADES = 'Годовые отметки: не выставлены';

export function markText(value: string): string {
  return MARK_TEXT[value] ?? value;
}

/** What a grid cell shows: the attendance letter, then the marks separated by '/'. */
export function cellText(cell: ArchiveCell): string {
  const marks = cell.marks.map((m) => markText(m.value)).join('/');
  const letter = cell.attendance ? ATTENDANCE_LETTERS[cell.attendance] : '';
  return [letter, marks].filter(Boolean).join(' ');
}

export function formatDate(iso: string): string {
  return `${iso.slice(8, 10)}.${iso.slice(5, 7)}.${iso.slice(0, 4)}`;
}

function gradeText(grade: string | null): string {
  return grade === null ? '—' : (GRADE_TEXT[grade] ?? grade);
}

function formatAverage(v: number | null): string {
  return v === null ? '—' : v.toFixed(2).replace('.', ',');
}

function formatProduced(iso: string, timeZone: string): string {
  const parts = new Intl.DateTimeFormat('ru-RU', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hour12: false,
  }).formatToParts(new Date(iso));
  const get = (t: string) => parts.find((p) => p.type === t)?.value ?? '';
  return `${get('day')}.${get('month')}.${get('year')} ${get('hour')}:${get('minute')}`;
}

function termLabel(t: ArchiveTerm): string {
  return t.name;
}

/** Splits a subject's lessons into pages of at most `perPage`, evenly (52 → 18 + 17 + 17, not 20 + 20 + 12). */
export function chunkLessons<T>(lessons: readonly T[], perPage = LESSONS_PER_PAGE): T[][] {
  const pages = Math.max(1, Math.ceil(lessons.length / perPage));
  const size = Math.ceil(lessons.length / pages);
  const out: T[][] = [];
  for (let i = 0; i < lessons.length; i += size) out.push(lessons.slice(i, i + size));
  return out;
}

interface RenderOptions {
  /** Time zone the production time is printed in (default Europe/Moscow). */
  timeZone?: string;
}

type Doc = PDFKit.PDFDocument;

class ArchiveRenderer {
  private readonly doc: Doc;
  private readonly toc: { title: string; page: number }[] = [];
  /** Where the title page's two columns start, and where its notes begin (the contents must end above). */
  private columnsTop = 0;
  private notesTop = BOTTOM;
  private readonly studentById: Map<number, ArchiveStudent>;
  private readonly nameWidth: number;
  private readonly columnWidth: number;

  constructor(
    private readonly model: ArchiveModel,
    private readonly options: RenderOptions,
  ) {
    const produced = new Date(model.producedAt);
    this.doc = new PDFDocument({
      size: 'A4',
      layout: 'landscape',
      margin: 0,
      autoFirstPage: false,
      bufferPages: true,
      lang: 'ru-RU',
      displayTitle: true,
      info: {
        Title: `Архив электронного журнала: ${model.classGroup.name}, ${model.classGroup.academicYear}`,
        Author: model.school.name,
        Subject: `Классный журнал ${model.classGroup.name} за ${model.classGroup.academicYear} учебный год`,
        Keywords: `sha256:${model.dataSha256}`,
        Creator: 'district-ejournal archive',
        CreationDate: produced,
        ModDate: produced,
      },
    });
    this.doc.registerFont('regular', FONTS.regular);
    this.doc.registerFont('bold', FONTS.bold);
    this.doc.registerFont('mono', FONTS.mono);
    this.studentById = new Map(model.students.map((s) => [s.studentId, s]));
    this.doc.font('regular').fontSize(GRID.nameFont);
    const widest = Math.max(60, ...model.students.map((s) => this.doc.widthOfString(s.shortName)));
    this.nameWidth = Math.min(170, Math.ceil(widest) + 8);
    this.columnWidth = (CONTENT_WIDTH - GRID.numberWidth - this.nameWidth) / LESSONS_PER_PAGE;
  }

  async render(): Promise<Buffer> {
    const chunks: Buffer[] = [];
    this.doc.on('data', (c: Buffer) => chunks.push(c));
    const ended = new Promise<void>((resolve, reject) => {
      this.doc.on('end', resolve);
      this.doc.on('error', reject);
    });
    this.titlePage();
    this.classList();
    for (const subject of this.model.subjects) this.subject(subject);
    this.contents();
    this.footers();
    this.doc.end();
    await ended;
    return Buffer.concat(chunks);
  }

  // ------------------------------------------------------------ primitives

  private addPage(): void {
    this.doc.addPage({ size: 'A4', layout: 'landscape', margin: 0 });
  }

  private get page(): number {
    const range = this.doc.bufferedPageRange();
    return range.start + range.count;
  }

  /** One line of text, no wrapping; `y` is the baseline. */
  private line(
    text: string,
    x: number,
    y: number,
    o: { font?: 'regular' | 'bold' | 'mono'; size: number; colour?: string; align?: 'left' | 'center' | 'right'; width?: number },
  ): void {
    const doc = this.doc
      .font(o.font ?? 'regular')
      .fontSize(o.size)
      .fillColor(o.colour ?? COLOURS.text);
    let left = x;
    if (o.align && o.align !== 'left' && o.width !== undefined) {
      const w = doc.widthOfString(text);
      left = o.align === 'center' ? x + (o.width - w) / 2 : x + o.width - w;
    }
    doc.text(text, left, y, { lineBreak: false, baseline: 'alphabetic' });
  }

  /** The largest size ≤ `size` (down to `min`) at which `text` fits `width`. */
  private fit(text: string, width: number, size: number, min = 5, font: 'regular' | 'bold' = 'regular'): number {
    this.doc.font(font);
    for (let s = size; s > min; s -= 0.25) {
      if (this.doc.fontSize(s).widthOfString(text) <= width) return s;
    }
    return min;
  }

  private textHeight(text: string, width: number, size: number, font: 'regular' | 'bold' = 'regular'): number {
    return this.doc.font(font).fontSize(size).heightOfString(text, { width, lineGap: 0.5 });
  }

  /** Wrapped text in a box (top-left at x, y). */
  private box(
    text: string,
    x: number,
    y: number,
    width: number,
    height: number,
    size: number,
    font: 'regular' | 'bold' = 'regular',
    colour = COLOURS.text,
  ): void {
    this.doc.font(font).fontSize(size).fillColor(colour).text(text, x, y, { width, height, lineGap: 0.5, ellipsis: true });
  }

  private rect(x: number, y: number, w: number, h: number, fill: string): void {
    this.doc.save().rect(x, y, w, h).fill(fill).restore();
  }

  private hline(x1: number, x2: number, y: number, colour = COLOURS.rule, width = 0.4): void {
    this.doc.save().lineWidth(width).strokeColor(colour).moveTo(x1, y).lineTo(x2, y).stroke().restore();
  }

  private vline(x: number, y1: number, y2: number, colour = COLOURS.rule, width = 0.4): void {
    this.doc.save().lineWidth(width).strokeColor(colour).moveTo(x, y1).lineTo(x, y2).stroke().restore();
  }

  /** The page heading: title on the left, class and year on the right, a subtitle below. Returns the y below it. */
  private heading(title: string, subtitle?: string): number {
    const m = this.model;
    this.line(title, MARGIN.left, MARGIN.top + 10, { font: 'bold', size: 12 });
    this.line(`${m.classGroup.name} · ${m.classGroup.academicYear} уч. год`, MARGIN.left, MARGIN.top + 10, {
      font: 'bold',
      size: 10,
      align: 'right',
      width: CONTENT_WIDTH,
    });
    if (subtitle) this.line(subtitle, MARGIN.left, MARGIN.top + 22, { size: 8, colour: COLOURS.muted });
    return MARGIN.top + (subtitle ? 30 : 18);
  }

  // ------------------------------------------------------------ title page and class list

  private titlePage(): void {
    const m = this.model;
    this.addPage();
    const doc = this.doc;
    let y = 56;
    doc.font('bold').fontSize(13).fillColor(COLOURS.text);
    const schoolLine = m.school.code && !m.school.name.includes(m.school.code) ? `${m.school.name} (${m.school.code})` : m.school.name;
    doc.text(schoolLine, MARGIN.left + 60, y, { width: CONTENT_WIDTH - 120, align: 'center' });
    y = doc.y + 30;
    this.line('КЛАССНЫЙ ЖУРНАЛ', MARGIN.left, y, { font: 'bold', size: 24, align: 'center', width: CONTENT_WIDTH });
    y += 20;
    this.line('архив электронного журнала за учебный год', MARGIN.left, y, { size: 12, align: 'center', width: CONTENT_WIDTH, colour: COLOURS.muted });
    y += 36;
    this.line(`${m.classGroup.name} класс`, MARGIN.left, y, { font: 'bold', size: 20, align: 'center', width: CONTENT_WIDTH });
    y += 24;
    this.line(`${m.classGroup.academicYear} учебный год`, MARGIN.left, y, { size: 14, align: 'center', width: CONTENT_WIDTH });
    this.columnsTop = y + 34;

    // Left column: the facts. The right column holds the contents (written at the end).
    y = this.columnsTop;
    const labelX = MARGIN.left + 10;
    const labelW = 150;
    const valueX = labelX + labelW;
    const valueW = TITLE_LEFT_WIDTH - labelW - 10;
    const field = (label: string, value: string, font: 'regular' | 'mono' = 'regular', size = 9.5) => {
      this.line(label, labelX, y + 9, { size: 9, colour: COLOURS.muted });
      doc
        .font(font)
        .fontSize(size)
        .fillColor(COLOURS.text)
        .text(value, valueX, y + 9 - size * 0.93, { width: valueW, lineGap: 1 });
      y = Math.max(y + 15, doc.y + 4);
    };
    const t = m.totals;
    field('Классный руководитель', m.classGroup.classTeacher ?? 'не назначен');
    field('Обучающихся за год', String(m.students.length));
    field('Предметов (с группами)', String(m.subjects.length));
    field('Уроков', `${t.lessons}${t.cancelled ? `, из них отменено ${t.cancelled}` : ''}; с темой ${t.withTopic}, с домашним заданием ${t.withHomework}`);
    field('Отметок', String(t.marks));
    field('Отметок о посещаемости', String(t.attendance));
    field(
      'Учебные периоды',
      m.terms.map((x) => `${termLabel(x)}: ${formatDate(x.startDate)} – ${formatDate(x.endDate)}${x.closed ? ' (закрыта)' : ''}`).join('\n') || '—',
    );
    field('Сформирован', `${formatProduced(m.producedAt, this.options.timeZone ?? 'Europe/Moscow')} (${this.options.timeZone ?? 'Europe/Moscow'})`);
    field('SHA-256 данных', m.dataSha256, 'mono', 7.5);

    // Notes across the bottom.
    const notes =
      'Контрольная сумма SHA-256 вычислена по всем данным, вошедшим в архив (ученики, уроки, темы, домашние задания, отметки, посещаемость, ' +
      'итоговые отметки); её начало печатается внизу каждой страницы. Аннулированные отметки и отметки о посещаемости в архив не входят.\n' +
      'Условные обозначения: Н — отсутствовал, Б — болел, УП — уважительная причина, ОП — опоздал; отметки одного урока через «/», ' +
      'зач / незач — зачёт / незачёт; серая клетка — ученик не занимался в этот день в классе (группе); «отменён» — урок отменён.';
    const notesH = this.textHeight(notes, CONTENT_WIDTH, 7.5);
    this.box(notes, MARGIN.left, BOTTOM - notesH - 4, CONTENT_WIDTH, notesH + 2, 7.5, 'regular', COLOURS.muted);
    this.notesTop = BOTTOM - notesH - 10;
  }

  private classList(): void {
    const m = this.model;
    this.addPage();
    this.toc.push({ title: 'Список обучающихся', page: this.page });
    let y = this.heading('Список обучающихся', `${m.students.length} чел., по алфавиту`) + 8;
    const cols = [
      { w: 24, title: '№' },
      { w: 320, title: 'Фамилия Имя Отчество' },
      { w: 300, title: 'В классе' },
    ];
    const rowH = m.students.length > 36 ? 11 : 14;
    const drawHeader = () => {
      this.rect(
        MARGIN.left,
        y,
        cols.reduce((s, c) => s + c.w, 0),
        14,
        COLOURS.header,
      );
      let x = MARGIN.left;
      for (const c of cols) {
        this.line(c.title, x + 3, y + 10, { font: 'bold', size: 8.5 });
        x += c.w;
      }
      y += 14;
    };
    drawHeader();
    const yearStart = m.terms[0]?.startDate;
    const yearEnd = m.terms[m.terms.length - 1]?.endDate;
    m.students.forEach((s, i) => {
      if (y + rowH > BOTTOM) {
        this.addPage();
        y = this.heading('Список обучающихся (продолжение)') + 8;
        drawHeader();
      }
      const periods = s.enrolments
        .map((e) => {
          const from = yearStart && e.from <= yearStart ? null : formatDate(e.from);
          const to = e.to === null || (yearEnd && e.to >= yearEnd) ? null : formatDate(e.to);
          if (!from && !to) return 'весь год';
          return `${from ? `с ${from}` : ''}${from && to ? ' ' : ''}${to ? `по ${to} (выбыл)` : ''}`;
        })
        .join('; ');
      const baseline = y + rowH / 2 + 3;
      this.line(String(i + 1), MARGIN.left + 3, baseline, { size: 9 });
      this.line(s.fullName, MARGIN.left + cols[0]!.w + 3, baseline, { size: 9 });
      this.line(periods || 'в группах класса', MARGIN.left + cols[0]!.w + cols[1]!.w + 3, baseline, { size: 9, colour: COLOURS.muted });
      y += rowH;
      this.hline(MARGIN.left, MARGIN.left + cols.reduce((sum, c) => sum + c.w, 0), y, COLOURS.light);
    });
  }

  // ------------------------------------------------------------ a subject

  private subject(subject: ArchiveSubject): void {
    const pages = chunkLessons(subject.lessons.map((l, i) => ({ lesson: l, index: i })));
    pages.forEach((chunk, p) => {
      this.addPage();
      if (p === 0) this.toc.push({ title: subject.title, page: this.page });
      const first = chunk[0]!.index + 1;
      const last = chunk[chunk.length - 1]!.index + 1;
      const teacher = subject.teachers.length === 1 ? `учитель ${subject.teachers[0]}` : `учителя ${subject.teachers.join(', ')}`;
      const subtitle =
        `${teacher} · уроки ${first}–${last} из ${subject.lessons.length} · лист ${p + 1} из ${pages.length}` +
        (subject.grading === 'NONE' ? ' · безотметочное обучение' : subject.grading === 'PASS_FAIL' ? ' · зачёт / незачёт' : '');
      let y = this.heading(`${subject.title} — журнал`, subtitle) + 6;
      y = this.grid(subject, chunk, y);
      this.lessonList(subject, chunk, y + 12);
    });
    this.results(subject);
  }

  /** The grid of one page: month and day header, a row per student. Returns the y below it. */
  private grid(subject: ArchiveSubject, chunk: { lesson: ArchiveLesson; index: number }[], top: number): number {
    const x0 = MARGIN.left;
    const nameX = x0 + GRID.numberWidth;
    const cellsX = nameX + this.nameWidth;
    const colW = this.columnWidth;
    const width = GRID.numberWidth + this.nameWidth + colW * chunk.length;
    const headerH = GRID.monthRow + GRID.dayRow;
    const bodyTop = top + headerH;
    // A large class still fits one sheet: rows shrink (to 8 pt) rather than spill.
    const rowH = Math.max(8, Math.min(GRID.row, (BOTTOM - bodyTop) / Math.max(1, subject.rows.length)));
    const bodyBottom = bodyTop + subject.rows.length * rowH;

    // Header background, cancelled columns, cells of students not taking the lesson.
    this.rect(x0, top, width, headerH, COLOURS.header);
    chunk.forEach(({ lesson }, c) => {
      if (lesson.cancelled) this.rect(cellsX + c * colW, bodyTop, colW, bodyBottom - bodyTop, COLOURS.cancelled);
    });
    subject.rows.forEach((row, r) => {
      chunk.forEach(({ lesson, index }, c) => {
        const cell = row.cells[index]!;
        if (!lesson.cancelled && !cell.takes && cell.marks.length === 0 && !cell.attendance) {
          this.rect(cellsX + c * colW, bodyTop + r * rowH, colW, rowH, COLOURS.shade);
        }
      });
    });

    // Month band: one label per run of columns in the same month.
    this.line('№', x0 + 2, top + headerH - 4, { font: 'bold', size: 7 });
    this.line('Фамилия И.', nameX + 3, top + headerH - 4, { font: 'bold', size: 7.5 });
    let runStart = 0;
    for (let c = 1; c <= chunk.length; c++) {
      const month = (i: number) => chunk[i]!.lesson.date.slice(0, 7);
      if (c < chunk.length && month(c) === month(runStart)) continue;
      const m = Number(chunk[runStart]!.lesson.date.slice(5, 7)) - 1;
      const w = (c - runStart) * colW;
      const full = MONTHS[m]!;
      const label = this.doc.font('regular').fontSize(7).widthOfString(full) <= w - 2 ? full : MONTHS_SHORT[m]!;
      this.line(label, cellsX + runStart * colW, top + GRID.monthRow - 3, { size: this.fit(label, w - 2, 7), align: 'center', width: w });
      if (runStart > 0) this.vline(cellsX + runStart * colW, top, top + GRID.monthRow, COLOURS.rule, 0.6);
      runStart = c;
    }
    this.hline(cellsX, x0 + width, top + GRID.monthRow, COLOURS.light);
    chunk.forEach(({ lesson }, c) => {
      this.line(String(Number(lesson.date.slice(8, 10))), cellsX + c * colW, top + headerH - 3.5, { font: 'bold', size: 7.5, align: 'center', width: colW });
    });

    // Rows.
    subject.rows.forEach((row, r) => {
      const rowTop = bodyTop + r * rowH;
      const baseline = rowTop + rowH / 2 + 2.8;
      const student = this.studentById.get(row.studentId);
      this.line(String(r + 1), x0 + 2, baseline, { size: 7 });
      const name = student?.shortName ?? `ученик ${row.studentId}`;
      this.line(name, nameX + 3, baseline, { size: this.fit(name, this.nameWidth - 5, GRID.nameFont) });
      chunk.forEach(({ index }, c) => {
        const cell = row.cells[index]!;
        const text = cellText(cell);
        if (text === '') return;
        const onlyAbsence = cell.marks.length === 0;
        this.line(text, cellsX + c * colW, baseline, {
          size: this.fit(text, colW - 2, GRID.cellFont),
          align: 'center',
          width: colW,
          colour: onlyAbsence ? COLOURS.absence : COLOURS.text,
        });
      });
    });

    // Rules.
    for (let r = 0; r <= subject.rows.length; r++) this.hline(x0, x0 + width, bodyTop + r * rowH, r === 0 ? COLOURS.rule : COLOURS.light);
    this.hline(x0, x0 + width, top, COLOURS.rule, 0.6);
    this.hline(x0, x0 + width, bodyBottom, COLOURS.rule, 0.6);
    this.vline(x0, top, bodyBottom, COLOURS.rule, 0.6);
    this.vline(nameX, top, bodyBottom);
    this.vline(cellsX, top, bodyBottom, COLOURS.rule, 0.6);
    for (let c = 1; c <= chunk.length; c++)
      this.vline(
        cellsX + c * colW,
        top + (c < chunk.length ? GRID.monthRow : 0),
        bodyBottom,
        c === chunk.length ? COLOURS.rule : COLOURS.light,
        c === chunk.length ? 0.6 : 0.4,
      );
    // Cancelled columns: the word, vertically.
    chunk.forEach(({ lesson }, c) => {
      if (!lesson.cancelled || subject.rows.length === 0) return;
      const cx = cellsX + c * colW + colW / 2;
      const cy = (bodyTop + bodyBottom) / 2;
      const w = this.doc.font('regular').fontSize(7).widthOfString('отменён') + 4;
      this.doc.save().rotate(-90, { origin: [cx, cy] });
      this.rect(cx - w / 2, cy - 4.5, w, 9, COLOURS.cancelled);
      this.line('отменён', cx - 30, cy + 2.5, { size: 7, align: 'center', width: 60, colour: COLOURS.muted });
      this.doc.restore();
    });

    if (subject.rows.length === 0) this.line('нет обучающихся', cellsX + 4, bodyTop + 10, { size: 8, colour: COLOURS.muted });
    return bodyBottom + (subject.rows.length === 0 ? GRID.row : 0);
  }

  /** The lessons of a grid page: date, topic, homework, forms of control; continues on further pages when long. */
  private lessonList(subject: ArchiveSubject, chunk: { lesson: ArchiveLesson; index: number }[], top: number): void {
    const cols = [
      { key: 'n', title: '№', w: 20 },
      { key: 'date', title: 'Дата', w: 46 },
      { key: 'period', title: 'Урок', w: 24 },
      { key: 'topic', title: 'Тема урока', w: 0 },
      { key: 'homework', title: 'Домашнее задание', w: 0 },
      { key: 'forms', title: 'Формы контроля (вес)', w: 0 },
    ];
    const fixed = cols.reduce((s, c) => s + c.w, 0);
    const flex = CONTENT_WIDTH - fixed;
    cols[3]!.w = Math.round(flex * 0.4);
    cols[4]!.w = Math.round(flex * 0.3);
    cols[5]!.w = flex - cols[3]!.w - cols[4]!.w;
    const pad = LIST.pad;
    let y = top;
    /** The column titles, under a small heading unless the page's own heading names the list. */
    const header = (withTitle: boolean) => {
      if (withTitle) {
        this.line('Содержание уроков', MARGIN.left, y + 8, { font: 'bold', size: 8.5 });
        y += 12;
      }
      this.rect(MARGIN.left, y, CONTENT_WIDTH, LIST.header, COLOURS.header);
      let x = MARGIN.left;
      for (const c of cols) {
        this.line(c.title, x + pad, y + 8.5, { font: 'bold', size: 7.5 });
        x += c.w;
      }
      y += LIST.header;
      this.hline(MARGIN.left, MARGIN.left + CONTENT_WIDTH, y);
    };
    const rows = chunk.map(({ lesson, index }) => {
      const topic = lesson.cancelled ? `отменён${lesson.topic ? ` (${lesson.topic})` : ''}` : (lesson.topic ?? '—');
      const cells: Record<string, string> = {
        n: String(index + 1),
        date: formatDate(lesson.date),
        period: String(lesson.period),
        topic: lesson.substitute ? `${topic}\nзамена: ${lesson.substitute}` : topic,
        homework: lesson.cancelled ? '' : (lesson.homework ?? '—'),
        forms: lesson.forms.map((f) => `${f.name} (${String(f.weight).replace('.', ',')})`).join('; '),
      };
      const h = Math.max(...cols.map((c) => (cells[c.key] ? this.textHeight(cells[c.key]!, c.w - 2 * pad, LIST.font) : 0)), LIST.font + 2) + 2 * pad;
      return { cells, h, lesson };
    });
    // Below the grid when it fits there whole, or mostly (8 lessons or more); else on the next page, like the journal's facing page.
    let fitting = 0;
    for (let room = BOTTOM - y - 24; fitting < rows.length && rows[fitting]!.h <= room; fitting++) room -= rows[fitting]!.h;
    if (fitting < Math.min(8, rows.length)) {
      this.addPage();
      y =
        this.heading(
          `${subject.title} — содержание уроков`,
          `уроки ${chunk[0]!.index + 1}–${chunk[chunk.length - 1]!.index + 1} из ${subject.lessons.length}`,
        ) + 6;
      header(false);
    } else header(true);
    for (const row of rows) {
      const h = Math.min(row.h, BOTTOM - MARGIN.top - 60);
      if (y + h > BOTTOM) {
        this.addPage();
        y = this.heading(`${subject.title} — содержание уроков (продолжение)`) + 6;
        header(false);
      }
      if (row.lesson.cancelled) this.rect(MARGIN.left, y, CONTENT_WIDTH, h, COLOURS.shade);
      let x = MARGIN.left;
      for (const c of cols) {
        const text = row.cells[c.key];
        if (text) this.box(text, x + pad, y + pad, c.w - 2 * pad, h - pad, LIST.font, 'regular', c.key === 'forms' ? COLOURS.muted : COLOURS.text);
        x += c.w;
      }
      y += h;
      this.hline(MARGIN.left, MARGIN.left + CONTENT_WIDTH, y, COLOURS.light);
    }
  }

  /** The subject's results: per term the weighted average, the term grade and the lessons missed; the year grade. */
  private results(subject: ArchiveSubject): void {
    const m = this.model;
    const terms = m.terms.filter((t) => subject.rows.some((r) => r.terms.some((x) => x.termId === t.termId)));
    const graded = subject.grading !== 'NONE';
    const anyTermGrade = subject.rows.some((r) => r.terms.some((t) => t.grade !== null));
    const anyYearGrade = subject.rows.some((r) => r.yearGrade !== null);
    const subCols = graded ? ['Ср. балл', 'Отметка', 'Пропуски'] : ['Пропуски'];
    const subW = graded ? 46 : 60;
    const termW = subCols.length * subW;
    const yearW = graded ? 56 : 0;
    const x0 = MARGIN.left;
    const nameX = x0 + GRID.numberWidth;
    const termsX = nameX + this.nameWidth;
    const yearX = termsX + terms.length * termW;
    const tableW = GRID.numberWidth + this.nameWidth + terms.length * termW + yearW;
    const rowH = GRID.row;
    const headerH = 26;

    this.addPage();
    const explained = graded
      ? 'средневзвешенный балл по активным отметкам периода (Σ отметка × вес / Σ вес); пропуски — уроки с Н, Б, УП'
      : 'пропуски — уроки с Н, Б, УП';
    let y = this.heading(`${subject.title} — итоги по учебным периодам`, explained) + 8;
    const notes = !graded
      ? ['Безотметочное обучение: отметки не ставятся.']
      : [
          !m.termGrades.tableExists || !anyTermGrade ? NO_TERM_GRADES : 'Четвертные отметки выставлены учителем; «—» — не выставлена.',
          !m.yearGrades.tableExists || !anyYearGrade ? NO_YEAR_GRADES : 'Годовые отметки выставлены учителем; «—» — не выставлена.',
        ];
    for (const note of notes) {
      const missing = note === NO_TERM_GRADES || note === NO_YEAR_GRADES || !graded;
      this.line(note, x0, y + 8, { size: 9, font: missing ? 'bold' : 'regular' });
      y += 13;
    }
    y += 4;

    let segmentTop = y;
    const header = () => {
      segmentTop = y;
      this.rect(x0, y, tableW, headerH, COLOURS.header);
      this.line('№', x0 + 2, y + 22, { font: 'bold', size: 7 });
      this.line('Фамилия И.', nameX + 3, y + 22, { font: 'bold', size: 7.5 });
      terms.forEach((t, i) => {
        const tx = termsX + i * termW;
        this.line(termLabel(t), tx, y + 10, { font: 'bold', size: this.fit(termLabel(t), termW - 4, 8, 5, 'bold'), align: 'center', width: termW });
        subCols.forEach((title, j) => this.line(title, tx + j * subW, y + 22, { size: 7, align: 'center', width: subW }));
      });
      if (yearW) {
        this.line('Год', yearX, y + 10, { font: 'bold', size: 8, align: 'center', width: yearW });
        this.line('Отметка', yearX, y + 22, { size: 7, align: 'center', width: yearW });
      }
      this.hline(termsX, x0 + tableW, y + 13, COLOURS.light);
      y += headerH;
      this.hline(x0, x0 + tableW, y, COLOURS.rule);
    };
    /** Column rules of the part of the table on this page. */
    const close = () => {
      for (const x of [x0, termsX, ...terms.map((_, i) => termsX + i * termW), ...(yearW ? [yearX] : []), x0 + tableW]) {
        this.vline(x, segmentTop, y, COLOURS.rule, x === nameX ? 0.4 : 0.6);
      }
      this.vline(nameX, segmentTop, y);
      terms.forEach((_, i) => {
        for (let j = 1; j < subCols.length; j++) this.vline(termsX + i * termW + j * subW, segmentTop + 13, y, COLOURS.light);
      });
      this.hline(x0, x0 + tableW, segmentTop, COLOURS.rule, 0.6);
      this.hline(x0, x0 + tableW, y, COLOURS.rule, 0.6);
    };
    header();
    subject.rows.forEach((row, r) => {
      if (y + rowH > BOTTOM) {
        close();
        this.addPage();
        y = this.heading(`${subject.title} — итоги (продолжение)`) + 8;
        header();
      }
      const baseline = y + rowH / 2 + 2.8;
      const student = this.studentById.get(row.studentId);
      this.line(String(r + 1), x0 + 2, baseline, { size: 7 });
      const name = student?.shortName ?? `ученик ${row.studentId}`;
      this.line(name, nameX + 3, baseline, { size: this.fit(name, this.nameWidth - 5, GRID.nameFont) });
      terms.forEach((t, i) => {
        const tx = termsX + i * termW;
        const result = row.terms.find((x) => x.termId === t.termId);
        const missed = subject.lessons.reduce(
          (n, l, li) => n + (l.termId === t.termId && row.cells[li]!.attendance && row.cells[li]!.attendance !== 'LATE' ? 1 : 0),
          0,
        );
        const values = graded ? [formatAverage(result?.average ?? null), gradeText(result?.grade ?? null), String(missed)] : [String(missed)];
        values.forEach((v, j) =>
          this.line(v, tx + j * subW, baseline, { size: 8, font: graded && j === 1 && result?.grade ? 'bold' : 'regular', align: 'center', width: subW }),
        );
      });
      if (yearW) this.line(gradeText(row.yearGrade), yearX, baseline, { size: 8, font: row.yearGrade ? 'bold' : 'regular', align: 'center', width: yearW });
      y += rowH;
      this.hline(x0, x0 + tableW, y, COLOURS.light);
    });
    close();
  }

  // ------------------------------------------------------------ contents and footers

  /** The contents, in the title page's right column (page numbers are known only now). */
  private contents(): void {
    this.doc.switchToPage(0);
    const left = MARGIN.left + TITLE_LEFT_WIDTH + 20;
    const width = MARGIN.left + CONTENT_WIDTH - left;
    const top = this.columnsTop;
    this.line('Содержание', left, top + 9, { font: 'bold', size: 10 });
    const available = this.notesTop - (top + 24);
    const perColumnMax = Math.max(1, Math.floor(available / 11));
    const columns = Math.ceil(this.toc.length / perColumnMax);
    const perColumn = Math.ceil(this.toc.length / columns);
    const lineH = Math.min(12, available / perColumn);
    const colW = width / columns;
    const size = Math.min(8.5, lineH - 2);
    this.toc.forEach((entry, i) => {
      const x = left + Math.floor(i / perColumn) * colW;
      const y = top + 24 + (i % perColumn) * lineH;
      const pageText = String(entry.page);
      const pw = this.doc.font('regular').fontSize(size).widthOfString(pageText);
      const titleSize = this.fit(entry.title, colW - pw - 24, size);
      this.line(entry.title, x, y, { size: titleSize });
      const tw = this.doc.font('regular').fontSize(titleSize).widthOfString(entry.title);
      this.doc
        .save()
        .lineWidth(0.5)
        .strokeColor(COLOURS.light)
        .dash(0.5, { space: 2 })
        .moveTo(x + tw + 3, y)
        .lineTo(x + colW - pw - 12, y)
        .stroke()
        .undash()
        .restore();
      this.line(pageText, x, y, { size, align: 'right', width: colW - 8 });
    });
  }

  private footers(): void {
    const m = this.model;
    const range = this.doc.bufferedPageRange();
    const left = `${m.school.name} · ${m.classGroup.name} · ${m.classGroup.academicYear} · архив журнала`;
    for (let i = range.start; i < range.start + range.count; i++) {
      this.doc.switchToPage(i);
      this.hline(MARGIN.left, MARGIN.left + CONTENT_WIDTH, FOOTER_BASELINE - 9, COLOURS.light);
      this.line(left, MARGIN.left, FOOTER_BASELINE, { size: this.fit(left, CONTENT_WIDTH * 0.45, 7), colour: COLOURS.muted });
      this.line(`SHA-256 ${m.dataSha256.slice(0, 16)}…`, MARGIN.left, FOOTER_BASELINE, {
        font: 'mono',
        size: 6.5,
        align: 'center',
        width: CONTENT_WIDTH,
        colour: COLOURS.muted,
      });
      this.line(`стр. ${i + 1} из ${range.count}`, MARGIN.left, FOOTER_BASELINE, { size: 7, align: 'right', width: CONTENT_WIDTH, colour: COLOURS.muted });
    }
  }
}

/** The archive PDF of a model (see loadArchiveModel). */
export function renderArchivePdf(model: ArchiveModel, options: RenderOptions = {}): Promise<Buffer> {
  return new ArchiveRenderer(model, options).render();
}

/**
 * What a teacher types into a journal cell, read the way a paper journal is
 * written: `5`, `4/5` (two marks), `Н`, `Б`, `УП`, `ОП`, `зач`, `незач`.
 * Checked against the lesson's grading before anything is sent.
 */
export type Grading = 'MARKS' | 'PASS_FAIL' | 'NONE';
export type AttendanceCode = 'ABSENT' | 'ILL' | 'EXCUSED' | 'LATE';

export const ATTENDANCE_LETTERS: Record<AttendanceCode, string> = { ABSENT: 'Н', ILL: 'Б', EXCUSED: 'УП', LATE: 'ОП' };
const BY_LETTER: Record<string, AttendanceCode> = { Н: 'ABSENT', Б: 'ILL', УП: 'EXCUSED', ОП: 'LATE' };
const PASS_WORDS: Record<string, 'PASS' | 'FAIL'> = { ЗАЧ: 'PASS', ЗАЧЁТ: 'PASS', ЗАЧЕТ: 'PASS', НЕЗАЧ: 'FAIL', НЕЗАЧЁТ: 'FAIL', НЕЗАЧЕТ: 'FAIL' };

export interface CellEntry {
  marks: string[];
  attendance: AttendanceCode | null;
}

/** A refusal, as an i18n key with its values (the UI says why, in Russian). */
export interface CellProblem {
  key: string;
  values?: Record<string, string>;
}

export type Parsed = { ok: true; entry: CellEntry } | { ok: false; problem: CellProblem };

const MAX_MARKS = 3;

export function parseCell(text: string, grading: Grading): Parsed {
  const tokens = text
    .trim()
    .toUpperCase()
    .split(/[\s/,;]+/)
    .filter(Boolean);
  const marks: string[] = [];
  let attendance: AttendanceCode | null = null;
  for (const token of tokens) {
    const code = BY_LETTER[token];
    if (code) {
      if (attendance) return { ok: false, problem: { key: 'teacher.entry.twoAttendance' } };
      attendance = code;
      continue;
    }
    if (/^\d+$/.test(token)) {
      if (grading === 'NONE') return { ok: false, problem: { key: 'teacher.entry.ungraded' } };
      if (grading === 'PASS_FAIL') return { ok: false, problem: { key: 'teacher.entry.passFailOnly', values: { value: token } } };
      const n = Number(token);
      if (n < 1 || n > 5) return { ok: false, problem: { key: 'teacher.entry.outOfScale', values: { value: token } } };
      marks.push(String(n));
      continue;
    }
    const pass = PASS_WORDS[token];
    if (pass) {
      if (grading === 'NONE') return { ok: false, problem: { key: 'teacher.entry.ungraded' } };
      if (grading === 'MARKS') return { ok: false, problem: { key: 'teacher.entry.marksOnly', values: { value: token.toLowerCase() } } };
      marks.push(pass);
      continue;
    }
    return { ok: false, problem: { key: 'teacher.entry.unknown', values: { value: token } } };
  }
  if (marks.length > MAX_MARKS) return { ok: false, problem: { key: 'teacher.entry.tooMany', values: { max: String(MAX_MARKS) } } };
  // A student who was not there gets no mark for the lesson; one who came late may.
  if (marks.length && attendance && attendance !== 'LATE') return { ok: false, problem: { key: 'teacher.entry.absentWithMark' } };
  return { ok: true, entry: { marks, attendance } };
}

/** A value as the grid shows it: PASS → «зач». */
export function markLabel(value: string): string {
  return value === 'PASS' ? 'зач' : value === 'FAIL' ? 'незач' : value;
}

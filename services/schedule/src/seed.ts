import type { EntityManager } from '@mikro-orm/postgresql';
import { AssignmentStudent, TeachingAssignment } from './assignments/teaching-assignment.entity';
import { BellPeriod } from './bells/bell-period.entity';
import { addDays, isoWeekday } from './dates';
import { generateTermLessons, type GenerationCounts } from './lessons/lesson-generator';
import { Subject, type Grading } from './subjects/subject.entity';
import { TimetableEntry } from './timetable/timetable-entry.entity';
import { AcademicYear, Holiday, Term, type TermKind } from './years/year.entity';

export interface SubjectSeed {
  name: string;
  shortName: string;
  grading: Grading;
}

/** A typical set of subjects of a Russian school. */
export const STANDARD_SUBJECTS: readonly SubjectSeed[] = [
  { name: 'Русский язык', shortName: 'Рус. яз.', grading: 'MARKS' },
  { name: 'Литература', shortName: 'Лит.', grading: 'MARKS' },
  { name: 'Математика', shortName: 'Матем.', grading: 'MARKS' },
  { name: 'Алгебра', shortName: 'Алг.', grading: 'MARKS' },
  { name: 'Геометрия', shortName: 'Геом.', grading: 'MARKS' },
  { name: 'Английский язык', shortName: 'Англ. яз.', grading: 'MARKS' },
  { name: 'История', shortName: 'Ист.', grading: 'MARKS' },
  { name: 'Обществознание', shortName: 'Общ.', grading: 'MARKS' },
  { name: 'География', shortName: 'Геогр.', grading: 'MARKS' },
  { name: 'Биология', shortName: 'Биол.', grading: 'MARKS' },
  { name: 'Физика', shortName: 'Физ.', grading: 'MARKS' },
  { name: 'Химия', shortName: 'Хим.', grading: 'MARKS' },
  { name: 'Информатика', shortName: 'Информ.', grading: 'MARKS' },
  { name: 'Физическая культура', shortName: 'Физ-ра', grading: 'MARKS' },
  { name: 'Музыка', shortName: 'Муз.', grading: 'MARKS' },
  { name: 'ИЗО', shortName: 'ИЗО', grading: 'MARKS' },
  { name: 'Технология', shortName: 'Техн.', grading: 'MARKS' },
  { name: 'Окружающий мир', shortName: 'Окр. мир', grading: 'MARKS' },
  { name: 'ОБЗР', shortName: 'ОБЗР', grading: 'MARKS' },
  // Taught in year 4 without marks: зачёт / незачёт.
  { name: 'Основы религиозных культур и светской этики', shortName: 'ОРКСЭ', grading: 'PASS_FAIL' },
];

/** 45-minute lessons with 10- and 20-minute breaks (the two big breaks after periods 2 and 3). */
export const STANDARD_BELLS: readonly (readonly [string, string])[] = [
  ['08:30', '09:15'],
  ['09:25', '10:10'],
  ['10:30', '11:15'],
  ['11:35', '12:20'],
  ['12:30', '13:15'],
  ['13:25', '14:10'],
  ['14:20', '15:05'],
  ['15:15', '16:00'],
];

export interface CalendarTerm {
  name: string;
  kind: TermKind;
  number: number;
  startDate: string;
  endDate: string;
}

export interface CalendarHoliday {
  name: string;
  startDate: string;
  endDate: string;
}

/** The dates of a standard year, computed for any "YYYY/YYYY+1". */
export interface StandardCalendar {
  name: string;
  startDate: string;
  endDate: string;
  quarters: CalendarTerm[];
  halfYears: CalendarTerm[];
  holidays: CalendarHoliday[];
}

const saturdayOnOrAfter = (date: string) => addDays(date, (6 - isoWeekday(date) + 7) % 7);
const sundayOnOrAfter = (date: string) => addDays(date, 7 - isoWeekday(date));

/**
 * A common Russian calendar: quarters with autumn (9 days from the last week
 * of October), winter (30 December to the Sunday after 8 January) and spring
 * (9 days from about 20 March) holidays, lessons until 26 May, and the public
 * holidays that fall on school days, with a weekend holiday moved to Monday.
 * Years 10–11 may have half-years over the same dates instead.
 */
export function standardCalendar(name: string): StandardCalendar {
  const m = /^(\d{4})\/(\d{4})$/.exec(name);
  if (!m || Number(m[2]) !== Number(m[1]) + 1) throw new Error(`not an academic year: ${name}`);
  const y = Number(m[1]);
  const n = y + 1;
  const autumn = saturdayOnOrAfter(`${y}-10-24`);
  const winterEnd = sundayOnOrAfter(`${n}-01-08`);
  const spring = saturdayOnOrAfter(`${n}-03-20`);
  const q = (number: number, startDate: string, endDate: string): CalendarTerm => ({ name: `${number} четверть`, kind: 'quarter', number, startDate, endDate });
  const quarters = [
    q(1, `${y}-09-01`, addDays(autumn, -1)),
    q(2, addDays(autumn, 9), `${y}-12-29`),
    q(3, addDays(winterEnd, 1), addDays(spring, -1)),
    q(4, addDays(spring, 9), `${n}-05-26`),
  ];
  const halfYears: CalendarTerm[] = [
    { name: '1 полугодие', kind: 'half_year', number: 1, startDate: quarters[0]!.startDate, endDate: quarters[1]!.endDate },
    { name: '2 полугодие', kind: 'half_year', number: 2, startDate: quarters[2]!.startDate, endDate: quarters[3]!.endDate },
  ];
  const holidays: CalendarHoliday[] = [
    { name: 'Осенние каникулы', startDate: autumn, endDate: addDays(autumn, 8) },
    { name: 'Зимние каникулы', startDate: `${y}-12-30`, endDate: winterEnd },
    { name: 'Весенние каникулы', startDate: spring, endDate: addDays(spring, 8) },
  ];
  const publicHolidays: [string, string][] = [
    ['День народного единства', `${y}-11-04`],
    ['День защитника Отечества', `${n}-02-23`],
    ['Международный женский день', `${n}-03-08`],
    ['Праздник Весны и Труда', `${n}-05-01`],
    ['День Победы', `${n}-05-09`],
  ];
  for (const [holiday, date] of publicHolidays) {
    holidays.push({ name: holiday, startDate: date, endDate: date });
    const weekday = isoWeekday(date);
    if (weekday >= 6) {
      const monday = addDays(date, 8 - weekday);
      holidays.push({ name: `${holiday} (перенос)`, startDate: monday, endDate: monday });
    }
  }
  holidays.sort((a, b) => a.startDate.localeCompare(b.startDate));
  return { name, startDate: `${y}-09-01`, endDate: `${n}-05-31`, quarters, halfYears, holidays };
}

export interface StandardYear {
  year: AcademicYear;
  /** Quarters in order, for years 1–11 (or 1–9 with `seniorHalfYears`). */
  quarters: Term[];
  /** Half-years for years 10–11 with `seniorHalfYears`, else empty. */
  halfYears: Term[];
  holidays: Holiday[];
  /** Every term, in date order. */
  terms: Term[];
}

export interface WeeklySlot {
  /** 1 Пн … 6 Сб. */
  weekday: number;
  period: number;
  room?: string | null;
  shift?: number;
}

/**
 * Builds a school's schedule straight through the ORM, for tests and the demo
 * district (no authorization, no API):
 *
 *   const year = await seed.standardYear('2026/2027');
 *   await seed.standardBells();
 *   const subjects = await seed.subjects();
 *   const maths = await seed.assignment({ year: year.year, classGroupId, teacherStaffId, subject: subjects['Математика']! });
 *   await seed.weekly(maths, [{ weekday: 1, period: 1, room: '201' }, { weekday: 3, period: 2, room: '201' }]);
 *   await seed.generate(year.quarters[0]!);
 *
 * Class group, staff and student ids are people's local ids. Each call writes at once.
 */
export class ScheduleSeed {
  constructor(readonly em: EntityManager) {}

  async academicYear(name: string, startDate: string, endDate: string): Promise<AcademicYear> {
    const year = this.em.create(AcademicYear, { name, startDate, endDate });
    await this.em.flush();
    return year;
  }

  async term(year: AcademicYear, data: CalendarTerm & { yearsFrom?: number; yearsTo?: number }): Promise<Term> {
    const term = this.em.create(Term, { academicYearId: year.id, yearsFrom: 1, yearsTo: 11, closedAt: null, closedBy: null, ...data });
    await this.em.flush();
    return term;
  }

  async holiday(year: AcademicYear, name: string, startDate: string, endDate = startDate): Promise<Holiday> {
    const holiday = this.em.create(Holiday, { academicYearId: year.id, name, startDate, endDate });
    await this.em.flush();
    return holiday;
  }

  /** An academic year with its quarters and holidays (see standardCalendar); half-years for years 10–11 if asked. */
  async standardYear(name = '2026/2027', options: { seniorHalfYears?: boolean } = {}): Promise<StandardYear> {
    const calendar = standardCalendar(name);
    const year = this.em.create(AcademicYear, { name, startDate: calendar.startDate, endDate: calendar.endDate });
    await this.em.flush();
    const juniorsTo = options.seniorHalfYears ? 9 : 11;
    const quarters = calendar.quarters.map((t) => this.em.create(Term, { ...t, academicYearId: year.id, yearsFrom: 1, yearsTo: juniorsTo }));
    const halfYears = options.seniorHalfYears
      ? calendar.halfYears.map((t) => this.em.create(Term, { ...t, academicYearId: year.id, yearsFrom: 10, yearsTo: 11 }))
      : [];
    const holidays = calendar.holidays.map((h) => this.em.create(Holiday, { ...h, academicYearId: year.id }));
    await this.em.flush();
    const terms = [...quarters, ...halfYears].sort((a, b) => a.startDate.localeCompare(b.startDate) || a.yearsFrom - b.yearsFrom);
    return { year, quarters, halfYears, holidays, terms };
  }

  /** Eight 45-minute periods from 08:30 (STANDARD_BELLS). */
  async standardBells(shift = 1): Promise<BellPeriod[]> {
    const periods = STANDARD_BELLS.map(([start, end], i) =>
      this.em.create(BellPeriod, { shift, number: i + 1, startTime: `${start}:00`, endTime: `${end}:00` }),
    );
    await this.em.flush();
    return periods;
  }

  /** The subjects by name (STANDARD_SUBJECTS unless given); ones the school already has are reused. */
  async subjects(list: readonly SubjectSeed[] = STANDARD_SUBJECTS): Promise<Record<string, Subject>> {
    const existing = await this.em.find(Subject, {});
    const byName = new Map(existing.map((s) => [s.name.toLowerCase(), s]));
    const result: Record<string, Subject> = {};
    for (const data of list) {
      result[data.name] = byName.get(data.name.toLowerCase()) ?? this.em.create(Subject, { ...data });
    }
    await this.em.flush();
    return result;
  }

  async assignment(data: {
    year: AcademicYear;
    classGroupId: number;
    teacherStaffId: number;
    subject: Subject;
    groupName?: string | null;
    studentIds?: number[];
    graded?: boolean | null;
  }): Promise<TeachingAssignment> {
    const assignment = this.em.create(TeachingAssignment, {
      academicYearId: data.year.id,
      classGroupId: data.classGroupId,
      teacherStaffId: data.teacherStaffId,
      subjectId: data.subject.id,
      groupName: data.groupName ?? null,
      graded: data.graded ?? null,
    });
    await this.em.flush();
    for (const studentId of data.studentIds ?? []) this.em.create(AssignmentStudent, { teachingAssignmentId: assignment.id, studentId });
    await this.em.flush();
    return assignment;
  }

  /** Weekly timetable slots of an assignment, valid for the whole academic year unless dates are given. */
  async weekly(
    assignment: TeachingAssignment,
    slots: readonly WeeklySlot[],
    validity: { validFrom?: string; validTo?: string | null } = {},
  ): Promise<TimetableEntry[]> {
    const year = await this.em.findOneOrFail(AcademicYear, { id: assignment.academicYearId });
    const entries = slots.map((slot) =>
      this.em.create(TimetableEntry, {
        teachingAssignmentId: assignment.id,
        weekday: slot.weekday,
        period: slot.period,
        shift: slot.shift ?? 1,
        room: slot.room ?? null,
        validFrom: validity.validFrom ?? year.startDate,
        validTo: validity.validTo ?? null,
      }),
    );
    await this.em.flush();
    return entries;
  }

  /** Generates a term's lessons from the timetable (idempotent), in one transaction. */
  generate(term: Term | number): Promise<GenerationCounts> {
    const termId = typeof term === 'number' ? term : term.id;
    return this.em.transactional((em) => generateTermLessons(em as EntityManager, termId));
  }
}

import type { ProgressFigures } from '@district/kit';
import { proposedGrade } from '../diary/averages';
import type { ProgressFacts, StudentSubjectFacts } from './progress-facts';
import { ProgressDimension } from './progress.inputs';

/**
 * The definitions of progress analytics (docs/analytics.md), in one place.
 * Everything here is pure: it turns the facts of one statement into rows.
 */

/** At risk: a weighted average below this in a subject … */
export const AT_RISK_AVERAGE_BELOW = 3.0;
/** … or absent from at least this percentage of one's lesson slots. */
export const AT_RISK_ABSENCE_PERCENT = 30;

/** A student's result in a subject: a term grade (н/а included) or the grade proposed from the weighted average. */
export type SubjectResult = '1' | '2' | '3' | '4' | '5' | 'PASS' | 'FAIL' | 'NOT_ASSESSED';

/** Results that rule out успеваемость: 1, 2, незачёт, н/а. */
const FAILING = new Set<string>(['1', '2', 'FAIL', 'NOT_ASSESSED']);

/**
 * a / b rounded half up to `places` decimals, exactly (integers in); null when
 * b = 0. The same arithmetic as weightedAverage (src/diary/averages.ts).
 */
export function halfUp(a: number, b: number, places: number): number | null {
  if (b === 0) return null;
  const scale = 10 ** places;
  return Math.floor((2 * a * scale + b) / (2 * b)) / scale;
}

/**
 * For a term period, the term grade decides when it is set (EXEMPT, осв.: no
 * result); otherwise the grade proposed from the weighted average (none
 * without numeric marks — so a pass/fail subject has a result only from its
 * term grade).
 */
export function subjectResult(termGrade: string | undefined, average: number | null): SubjectResult | null {
  if (termGrade !== undefined) return termGrade === 'EXEMPT' ? null : (termGrade as SubjectResult);
  return proposedGrade(average) as SubjectResult | null;
}

/** Успевающий: no 1, 2, незачёт or н/а among the results. */
export function isSuccessful(results: readonly SubjectResult[]): boolean {
  return results.length > 0 && results.every((r) => !FAILING.has(r));
}

/** Качественно успевающий: only 4 and 5 (зачёт does not count either way), at least one mark result. */
export function isQuality(results: readonly SubjectResult[]): boolean {
  return isSuccessful(results) && results.some((r) => r === '4' || r === '5') && results.every((r) => r === '4' || r === '5' || r === 'PASS');
}

export function isAbsentTooOften(absences: number, slots: number): boolean {
  return slots > 0 && absences * 100 >= slots * AT_RISK_ABSENCE_PERCENT;
}

/** One row of figures, before it becomes a GraphQL object. */
export interface ProgressRowFigures extends ProgressFigures {
  yearOfStudy: number | null;
  classGroup: string | null;
  subject: string | null;
}

/** A student at risk over the whole school's period, without a name. */
export interface AtRiskStudent {
  studentId: number;
  classGroup: string;
  yearOfStudy: number;
  lowSubjects: { subject: string; average: number }[];
  absenceShare: number | null;
}

interface Key {
  yearOfStudy: number | null;
  classGroupId: number | null;
  subjectId: number | null;
}

const pairKey = (studentId: number, subjectId: number) => `${studentId}/${subjectId}`;
/** Russian order, numbers by value ("5А" before "10А"). */
export const RUSSIAN_ORDER = new Intl.Collator('ru', { numeric: true });

/** Progress of a school from its facts: rows by the requested dimensions and the students at risk. */
export class ProgressCalculator {
  /** Weighted average per (student, subject) over the whole period, school-wide. */
  private readonly averages = new Map<string, number | null>();

  constructor(private readonly facts: ProgressFacts) {
    const sums = new Map<string, { sum: number; weights: number }>();
    for (const g of facts.grain) {
      const k = pairKey(g.studentId, g.subjectId);
      const s = sums.get(k) ?? { sum: 0, weights: 0 };
      s.sum += g.weightedSumHundredths;
      s.weights += g.weightSumHundredths;
      sums.set(k, s);
    }
    for (const [k, s] of sums) this.averages.set(k, halfUp(s.sum, s.weights, 2));
  }

  average(studentId: number, subjectId: number): number | null {
    return this.averages.get(pairKey(studentId, subjectId)) ?? null;
  }

  result(studentId: number, subjectId: number): SubjectResult | null {
    return subjectResult(this.facts.termGrades.get(pairKey(studentId, subjectId)), this.average(studentId, subjectId));
  }

  private yearOf(classGroupId: number): number | null {
    return this.facts.classGroups.get(classGroupId)?.yearOfStudy ?? null;
  }

  private className(classGroupId: number): string {
    return this.facts.classGroups.get(classGroupId)?.name ?? `#${classGroupId}`;
  }

  private keyOf(g: StudentSubjectFacts, dims: ReadonlySet<ProgressDimension>): Key {
    return {
      yearOfStudy: dims.has(ProgressDimension.YEAR_OF_STUDY) ? this.yearOf(g.classGroupId) : null,
      classGroupId: dims.has(ProgressDimension.CLASS_GROUP) ? g.classGroupId : null,
      subjectId: dims.has(ProgressDimension.SUBJECT) ? g.subjectId : null,
    };
  }

  /** One row per combination of the dimensions present in the data; no dimension → exactly one row. */
  rows(dimensions: readonly ProgressDimension[]): ProgressRowFigures[] {
    const dims = new Set(dimensions);
    const groups = new Map<string, { key: Key; entries: StudentSubjectFacts[] }>();
    // No dimension: exactly one row for the school, even when nothing was held.
    const school: Key = { yearOfStudy: null, classGroupId: null, subjectId: null };
    if (dims.size === 0) groups.set(JSON.stringify(school), { key: school, entries: [] });
    for (const g of this.facts.grain) {
      const key = this.keyOf(g, dims);
      const id = JSON.stringify(key);
      let group = groups.get(id);
      if (!group) groups.set(id, (group = { key, entries: [] }));
      group.entries.push(g);
    }
    const rows = [...groups.values()].map(({ key, entries }) => ({ key, figures: this.figures(key, entries) }));
    rows.sort(
      (a, b) =>
        (a.key.yearOfStudy ?? 0) - (b.key.yearOfStudy ?? 0) ||
        RUSSIAN_ORDER.compare(a.figures.classGroup ?? '', b.figures.classGroup ?? '') ||
        (a.key.classGroupId ?? 0) - (b.key.classGroupId ?? 0) ||
        RUSSIAN_ORDER.compare(a.figures.subject ?? '', b.figures.subject ?? '') ||
        (a.key.subjectId ?? 0) - (b.key.subjectId ?? 0),
    );
    return rows.map((r) => r.figures);
  }

  /** The school's students at risk: those at risk in the school row (no dimension). */
  atRisk(): AtRiskStudent[] {
    const byStudent = this.byStudent(this.facts.grain);
    const list: AtRiskStudent[] = [];
    for (const [studentId, s] of byStudent) {
      const low = this.lowSubjects(studentId, s.subjects);
      if (low.length === 0 && !isAbsentTooOften(s.absences, s.slots)) continue;
      const classGroupId = this.facts.classOf.get(studentId)!;
      list.push({
        studentId,
        classGroup: this.className(classGroupId),
        yearOfStudy: this.yearOf(classGroupId) ?? 0,
        lowSubjects: low.map((subjectId) => ({ subject: this.facts.subjects.get(subjectId) ?? `#${subjectId}`, average: this.average(studentId, subjectId)! })),
        absenceShare: halfUp(s.absences, s.slots, 4),
      });
    }
    return list;
  }

  /** The students of a set of facts (those with a lesson slot), with their slots, absences and subjects in it. */
  private byStudent(entries: readonly StudentSubjectFacts[]) {
    const students = new Map<number, { slots: number; absences: number; subjects: Set<number>; graded: Set<number> }>();
    for (const g of entries) {
      if (g.slots === 0) continue;
      const s = students.get(g.studentId) ?? { slots: 0, absences: 0, subjects: new Set<number>(), graded: new Set<number>() };
      s.slots += g.slots;
      s.absences += g.absences;
      s.subjects.add(g.subjectId);
      if (g.graded) s.graded.add(g.subjectId);
      students.set(g.studentId, s);
    }
    return students;
  }

  private lowSubjects(studentId: number, subjects: ReadonlySet<number>): number[] {
    return [...subjects]
      .filter((subjectId) => {
        const average = this.average(studentId, subjectId);
        return average !== null && average < AT_RISK_AVERAGE_BELOW;
      })
      .sort((a, b) => RUSSIAN_ORDER.compare(this.facts.subjects.get(a) ?? '', this.facts.subjects.get(b) ?? ''));
  }

  private figures(key: Key, entries: readonly StudentSubjectFacts[]): ProgressRowFigures {
    let numericMarks = 0;
    let weighted = 0;
    let weights = 0;
    for (const g of entries) {
      numericMarks += g.marks;
      weighted += g.weightedSumHundredths;
      weights += g.weightSumHundredths;
    }
    let lessonSlots = 0;
    let absences = 0;
    let rated = 0;
    let quality = 0;
    let success = 0;
    let atRisk = 0;
    const students = this.byStudent(entries);
    for (const [studentId, s] of students) {
      lessonSlots += s.slots;
      absences += s.absences;
      const results = [...s.graded].map((subjectId) => this.result(studentId, subjectId)).filter((r): r is SubjectResult => r !== null);
      if (results.length > 0) {
        rated++;
        if (isSuccessful(results)) success++;
        if (isQuality(results)) quality++;
      }
      if (this.lowSubjects(studentId, s.subjects).length > 0 || isAbsentTooOften(s.absences, s.slots)) atRisk++;
    }
    return {
      yearOfStudy: key.yearOfStudy,
      classGroup: key.classGroupId === null ? null : this.className(key.classGroupId),
      subject: key.subjectId === null ? null : (this.facts.subjects.get(key.subjectId) ?? `#${key.subjectId}`),
      students: students.size,
      ratedStudents: rated,
      qualityStudents: quality,
      successStudents: success,
      qualityRate: halfUp(quality, rated, 4),
      successRate: halfUp(success, rated, 4),
      numericMarks,
      weightedMarkSum: weighted / 100,
      weightSum: weights / 100,
      averageMark: halfUp(weighted, weights, 2),
      lessonSlots,
      absences,
      attendanceRate: halfUp(lessonSlots - absences, lessonSlots, 4),
      studentsAtRisk: atRisk,
    };
  }
}

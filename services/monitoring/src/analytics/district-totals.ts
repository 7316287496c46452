import type { ProgressFigures } from '@district/kit';
import type { ProgressAnswer } from './progress-client';

/** One district-wide row: the schools' rows of the same year of study and subject, summed. */
export interface DistrictProgressRow extends ProgressFigures {
  yearOfStudy: number | null;
  subject: string | null;
  schools: number;
}

const SUMMED = [
  'students',
  'ratedStudents',
  'qualityStudents',
  'successStudents',
  'numericMarks',
  'weightedMarkSum',
  'weightSum',
  'lessonSlots',
  'absences',
  'studentsAtRisk',
] as const;

/** Half up to `decimals` places; the tiny epsilon keeps 0.125 → 0.13 despite binary fractions. */
function roundHalfUp(value: number, decimals: number): number {
  const f = 10 ** decimals;
  return Math.floor(value * f + 0.5 + 1e-9) / f;
}

const ratio = (n: number, d: number, decimals: number) => (d === 0 ? null : roundHalfUp(n / d, decimals));

/**
 * District totals from the schools' progress rows: numerators and denominators
 * are summed and the rates recomputed (averaging the schools' rates would
 * weigh a small school like a large one). Class groups are a school's own
 * (5А in two schools are different classes), so district rows are by year of
 * study and subject only; a student belongs to one school, so nobody is
 * counted twice.
 */
export function districtTotals(answer: ProgressAnswer): DistrictProgressRow[] {
  const groups = new Map<string, DistrictProgressRow & { schoolIds: Set<string> }>();
  for (const school of answer.schools) {
    for (const row of school.progress?.rows ?? []) {
      const yearOfStudy = (row.yearOfStudy as number | null) ?? null;
      const subject = (row.subject as string | null) ?? null;
      const key = `${yearOfStudy}|${subject}`;
      let total = groups.get(key);
      if (!total) {
        total = {
          yearOfStudy,
          subject,
          schools: 0,
          qualityRate: null,
          successRate: null,
          averageMark: null,
          attendanceRate: null,
          schoolIds: new Set(),
          ...Object.fromEntries(SUMMED.map((k) => [k, 0])),
        } as DistrictProgressRow & { schoolIds: Set<string> };
        groups.set(key, total);
      }
      total.schoolIds.add(school.id);
      for (const k of SUMMED) total[k] += Number(row[k] ?? 0);
    }
  }
  return [...groups.values()]
    .map(({ schoolIds, ...t }) => ({
      ...t,
      schools: schoolIds.size,
      weightedMarkSum: roundHalfUp(t.weightedMarkSum, 2),
      weightSum: roundHalfUp(t.weightSum, 2),
      qualityRate: ratio(t.qualityStudents, t.ratedStudents, 4),
      successRate: ratio(t.successStudents, t.ratedStudents, 4),
      averageMark: ratio(t.weightedMarkSum, t.weightSum, 2),
      attendanceRate: t.lessonSlots === 0 ? null : roundHalfUp(1 - t.absences / t.lessonSlots, 4),
    }))
    .sort((a, b) => (a.yearOfStudy ?? 0) - (b.yearOfStudy ?? 0) || (a.subject ?? '').localeCompare(b.subject ?? '', 'ru'));
}

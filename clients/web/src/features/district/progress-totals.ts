import type { DistrictSchoolsProgressQuery } from '../../gql/graphql';

export type SchoolRow = NonNullable<DistrictSchoolsProgressQuery['schools'][number]['progress']>['rows'][number];

export interface ProgressTotals {
  students: number;
  ratedStudents: number;
  qualityRate: number | null;
  successRate: number | null;
  averageMark: number | null;
  attendanceRate: number | null;
  studentsAtRisk: number;
}

const ratio = (numerator: number, denominator: number, digits: number) =>
  denominator === 0 ? null : Math.round((numerator / denominator) * 10 ** digits + 1e-9) / 10 ** digits;

/** District totals of school rows: numerators and denominators summed, rates recomputed (docs/analytics.md, District totals). */
export function sumSchools(rows: SchoolRow[]): ProgressTotals {
  const sum = (pick: (r: SchoolRow) => number) => rows.reduce((s, r) => s + pick(r), 0);
  const rated = sum((r) => r.ratedStudents);
  const slots = sum((r) => r.lessonSlots);
  return {
    students: sum((r) => r.students),
    ratedStudents: rated,
    qualityRate: ratio(
      sum((r) => r.qualityStudents),
      rated,
      4,
    ),
    successRate: ratio(
      sum((r) => r.successStudents),
      rated,
      4,
    ),
    averageMark: ratio(
      sum((r) => r.weightedMarkSum),
      sum((r) => r.weightSum),
      2,
    ),
    attendanceRate: ratio(slots - sum((r) => r.absences), slots, 4),
    studentsAtRisk: sum((r) => r.studentsAtRisk),
  };
}

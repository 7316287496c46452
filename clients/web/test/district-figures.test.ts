import { describe, expect, it } from 'vitest';
import { columnOf, districtValue, formatFigure, lastMonths, type Figures } from '../src/features/district/figures';
import { sumSchools, type SchoolRow } from '../src/features/district/progress-totals';

const f = (over: Partial<Figures>) => over as Figures;

describe('district totals of the schools’ figures', () => {
  it('recomputes shares from numerators and denominators (a small school does not weigh like a large one)', () => {
    const schools = [f({ heldLessons: 100, lessonsWithTopic: 90, shareWithTopic: 0.9 }), f({ heldLessons: 10, lessonsWithTopic: 1, shareWithTopic: 0.1 })];
    expect(districtValue(columnOf('shareWithTopic'), schools)).toBe(0.8273); // 91 / 110, not (0.9 + 0.1) / 2
    expect(districtValue(columnOf('heldLessons'), schools)).toBe(110);
    // nothing to measure: null, never 0
    expect(districtValue(columnOf('shareMarksSameDay'), [f({ marksEntered: 0, marksSameDay: 0 })])).toBeNull();
    // a median and a rounded mean are not totalled
    expect(districtValue(columnOf('medianEntryDelayMinutes'), schools)).toBeNull();
    expect(districtValue(columnOf('averageMark'), schools)).toBeNull();
    // diary shares are capped at 1 (enrolment is taken at collection time)
    expect(districtValue(columnOf('shareStudentsOpenedDiary'), [f({ students: 10, studentsOpenedDiary: 12 })])).toBe(1);
  });

  it('formats shares in per cent and means with a decimal comma', () => {
    expect(formatFigure('share', 0.8333)).toBe('83,3 %');
    expect(formatFigure('decimal', 4.5)).toBe('4,50');
    expect(formatFigure('count', null)).toBe('—');
    expect(lastMonths('2026-02', 4)).toEqual(['2025-11', '2025-12', '2026-01', '2026-02']);
  });

  it('sums progress rows of schools like districtProgress does', () => {
    const row = (o: Partial<SchoolRow>): SchoolRow => ({
      students: 0,
      ratedStudents: 0,
      qualityStudents: 0,
      successStudents: 0,
      qualityRate: null,
      successRate: null,
      weightedMarkSum: 0,
      weightSum: 0,
      averageMark: null,
      lessonSlots: 0,
      absences: 0,
      attendanceRate: null,
      studentsAtRisk: 0,
      ...o,
    });
    const total = sumSchools([
      row({
        students: 100,
        ratedStudents: 90,
        qualityStudents: 45,
        successStudents: 81,
        weightedMarkSum: 400,
        weightSum: 100,
        lessonSlots: 1000,
        absences: 100,
        studentsAtRisk: 5,
      }),
      row({
        students: 10,
        ratedStudents: 10,
        qualityStudents: 10,
        successStudents: 10,
        weightedMarkSum: 50,
        weightSum: 10,
        lessonSlots: 100,
        absences: 0,
        studentsAtRisk: 0,
      }),
    ]);
    expect(total).toEqual({
      students: 110,
      ratedStudents: 100,
      qualityRate: 0.55,
      successRate: 0.91,
      averageMark: 4.09,
      attendanceRate: 0.9091,
      studentsAtRisk: 5,
    });
    expect(sumSchools([row({})])).toMatchObject({ qualityRate: null, averageMark: null, attendanceRate: null });
  });
});

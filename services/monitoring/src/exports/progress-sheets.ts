import { DomainError } from '@district/kit';
import { districtTotals } from '../analytics/district-totals';
import type { ProgressAnswer, ProgressRequest } from '../analytics/progress-client';
import type { ExportColumn, ExportSheet } from './table-export';

const DIMENSIONS = ['YEAR_OF_STUDY', 'CLASS_GROUP', 'SUBJECT'] as const;

/** The export's query string → the GraphQL arguments; the schools validate the period themselves. */
export function progressQuery(q: Record<string, unknown>, withNames: boolean): ProgressRequest {
  const text = (name: string) => (typeof q[name] === 'string' && q[name] !== '' ? (q[name] as string) : undefined);
  const groupBy = (text('groupBy') ?? '').split(',').filter(Boolean);
  const bad = groupBy.filter((g) => !(DIMENSIONS as readonly string[]).includes(g));
  if (bad.length)
    throw DomainError.invalid(`Группировка: ${DIMENSIONS.join(', ')}; неизвестно: ${bad.join(', ')}`, [{ field: 'groupBy', message: DIMENSIONS.join(' | ') }]);
  const termNumber = text('termNumber');
  const period = {
    from: text('from'),
    to: text('to'),
    academicYear: text('academicYear'),
    termNumber: termNumber === undefined ? undefined : Number(termNumber),
  };
  const label = period.academicYear ? `${period.academicYear.replace('/', '-')}-t${termNumber ?? ''}` : `${period.from ?? ''}_${period.to ?? ''}`;
  return { period, groupBy, label, withNames };
}

const ROW_COLUMNS: ExportColumn[] = [
  { key: 'schoolId', header: 'Код школы', type: 'text', width: 10 },
  { key: 'shortName', header: 'Школа', type: 'text', width: 24 },
  { key: 'yearOfStudy', header: 'Параллель', type: 'integer' },
  { key: 'classGroup', header: 'Класс', type: 'text' },
  { key: 'subject', header: 'Предмет', type: 'text', width: 24 },
  { key: 'students', header: 'Учащихся', type: 'integer' },
  { key: 'ratedStudents', header: 'Аттестовано', type: 'integer' },
  { key: 'qualityRate', header: 'Качество знаний', type: 'percent' },
  { key: 'successRate', header: 'Успеваемость', type: 'percent' },
  { key: 'numericMarks', header: 'Отметок', type: 'integer' },
  { key: 'averageMark', header: 'Средний балл', type: 'decimal', decimals: 2 },
  { key: 'attendanceRate', header: 'Посещаемость', type: 'percent' },
  { key: 'studentsAtRisk', header: 'В группе риска', type: 'integer' },
];

const AT_RISK_COLUMNS: ExportColumn[] = [
  { key: 'shortName', header: 'Школа', type: 'text', width: 24 },
  { key: 'fullName', header: 'ФИО', type: 'text', width: 36 },
  { key: 'classGroup', header: 'Класс', type: 'text' },
  { key: 'yearOfStudy', header: 'Параллель', type: 'integer' },
  { key: 'lowSubjects', header: 'Средний балл ниже 3', type: 'text', width: 40 },
  { key: 'absenceShare', header: 'Доля пропусков', type: 'percent' },
];

const ruNumber = (n: number) => n.toFixed(2).replace('.', ',');

const TOTAL_COLUMNS: ExportColumn[] = [
  { key: 'yearOfStudy', header: 'Параллель', type: 'integer' },
  { key: 'subject', header: 'Предмет', type: 'text', width: 24 },
  { key: 'schools', header: 'Школ', type: 'integer' },
  ...ROW_COLUMNS.filter((c) => !['schoolId', 'shortName', 'yearOfStudy', 'classGroup', 'subject'].includes(c.key)),
];

/**
 * Sections: the rows of every school; district totals by year of study and
 * subject (district roles, i.e. when no names are asked); the students at risk
 * (only for a school's own deputy or director); schools without data.
 */
export function progressSheets(answer: ProgressAnswer, withNames: boolean): ExportSheet[] {
  const answered = answer.schools.filter((s) => s.progress);
  const sheets: ExportSheet[] = [
    { name: 'Успеваемость', columns: ROW_COLUMNS, rows: answered.flatMap((s) => s.progress!.rows.map((r) => ({ ...r, shortName: s.shortName }))) },
  ];
  if (!withNames) sheets.push({ name: 'Итоги по району', columns: TOTAL_COLUMNS, rows: districtTotals(answer) as unknown as Record<string, unknown>[] });
  if (withNames) {
    sheets.push({
      name: 'Группа риска',
      columns: AT_RISK_COLUMNS,
      rows: answered.flatMap((s) =>
        (s.progress!.studentsAtRisk ?? []).map((r) => ({
          ...r,
          shortName: s.shortName,
          lowSubjects: ((r.lowSubjects as { subject: string; average: number }[]) ?? []).map((l) => `${l.subject} ${ruNumber(l.average)}`).join('; '),
        })),
      ),
    });
  }
  sheets.push({
    name: 'Нет данных',
    columns: [
      { key: 'schoolId', header: 'Код школы', type: 'text' },
      { key: 'reason', header: 'Причина', type: 'text', width: 60 },
    ],
    rows: answer.unavailable,
  });
  return sheets;
}

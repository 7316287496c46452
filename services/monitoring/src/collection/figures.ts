import type { ExportColumnType } from '../exports/table-export';

/** One monitoring figure: its GraphQL field, its Russian column header and how it is typed in exports. */
export interface FigureDefinition {
  key: string;
  header: string;
  type: Extract<ExportColumnType, 'integer' | 'decimal' | 'percent'>;
  /** Answered by each school's journal (`School.monthlyFigures`) or computed by the district itself. */
  source: 'journal' | 'people' | 'district';
  description?: string;
}

/**
 * Every figure the district stores per school and month, once: the collection
 * query, the GraphQL type, the report diff and the export columns are all
 * built from this list. Definitions: docs/monitoring.md.
 */
export const FIGURES: readonly FigureDefinition[] = [
  { key: 'heldLessons', header: 'Проведено уроков', type: 'integer', source: 'journal' },
  { key: 'lessonsWithTopic', header: 'Уроков с темой', type: 'integer', source: 'journal' },
  { key: 'shareWithTopic', header: 'Доля уроков с темой', type: 'percent', source: 'journal' },
  { key: 'lessonsWithAttendanceTaken', header: 'Уроков с посещаемостью', type: 'integer', source: 'journal' },
  { key: 'shareWithAttendanceTaken', header: 'Доля уроков с посещаемостью', type: 'percent', source: 'journal' },
  { key: 'marksEntered', header: 'Отметок внесено', type: 'integer', source: 'journal' },
  { key: 'marksSameDay', header: 'Отметок в день урока', type: 'integer', source: 'journal' },
  { key: 'shareMarksSameDay', header: 'Доля отметок в день урока', type: 'percent', source: 'journal' },
  { key: 'absencesEntered', header: 'Пропусков внесено', type: 'integer', source: 'journal' },
  { key: 'absencesSameDay', header: 'Пропусков в день урока', type: 'integer', source: 'journal' },
  { key: 'shareAbsencesSameDay', header: 'Доля пропусков в день урока', type: 'percent', source: 'journal' },
  { key: 'lessonsWithHomework', header: 'Уроков с ДЗ', type: 'integer', source: 'journal' },
  { key: 'homeworkWithinHour', header: 'ДЗ в течение часа', type: 'integer', source: 'journal' },
  { key: 'shareHomeworkWithinHour', header: 'Доля ДЗ в течение часа', type: 'percent', source: 'journal' },
  { key: 'medianEntryDelayMinutes', header: 'Медианная задержка, мин', type: 'decimal', source: 'journal' },
  { key: 'correctionsAfterWindow', header: 'Исправлений после срока', type: 'integer', source: 'journal' },
  { key: 'correctionsApproved', header: 'Исправлений одобрено', type: 'integer', source: 'journal' },
  { key: 'activeMarks', header: 'Действующих отметок', type: 'integer', source: 'journal' },
  { key: 'studentSubjectPairs', header: 'Пар ученик–предмет', type: 'integer', source: 'journal' },
  { key: 'marksPerStudentPerSubject', header: 'Отметок на ученика по предмету', type: 'decimal', source: 'journal' },
  { key: 'numericMarks', header: 'Отметок 1–5', type: 'integer', source: 'journal' },
  { key: 'averageMark', header: 'Средний балл', type: 'decimal', source: 'journal' },
  { key: 'markQualityShare', header: 'Доля отметок 4 и 5', type: 'percent', source: 'journal' },
  { key: 'markSuccessShare', header: 'Доля отметок 3–5', type: 'percent', source: 'journal' },
  { key: 'students', header: 'Учащихся', type: 'integer', source: 'people', description: 'Students enrolled at collection time' },
  {
    key: 'guardians',
    header: 'Родителей',
    type: 'integer',
    source: 'people',
    description: 'Parents / legal representatives of enrolled students at collection time',
  },
  {
    key: 'studentsOpenedDiary',
    header: 'Учащихся открывали дневник',
    type: 'integer',
    source: 'district',
    description: 'Distinct students who opened a diary in the month (recorded by the gateway)',
  },
  {
    key: 'shareStudentsOpenedDiary',
    header: 'Доля учащихся, открывавших дневник',
    type: 'percent',
    source: 'district',
    description: 'studentsOpenedDiary / students, capped at 1',
  },
  {
    key: 'parentsOpenedDiary',
    header: 'Родителей открывали дневник',
    type: 'integer',
    source: 'district',
    description: 'Distinct parents who opened a child’s diary of this school in the month',
  },
  {
    key: 'shareParentsOpenedDiary',
    header: 'Доля родителей, открывавших дневник',
    type: 'percent',
    source: 'district',
    description: 'parentsOpenedDiary / guardians, capped at 1',
  },
];

export type Figures = Record<string, number | null>;

/** The query the collector sends through the gateway for one school: the registry, the journal and people answer their parts. */
export const SCHOOL_FIGURES_QUERY = `query SchoolMonthFigures($id: ID!, $month: String!) {
  school(id: $id) {
    id
    monthlyFigures(month: $month) { ${FIGURES.filter((f) => f.source === 'journal')
      .map((f) => f.key)
      .join(' ')} }
    studentCount
    guardianCount
  }
}`;

/** A share rounded half up to 4 decimals, null when there is nothing to measure (the journal's convention). */
export function share(numerator: number, denominator: number | null): number | null {
  if (!denominator) return null;
  return Math.round(Math.min(1, numerator / denominator) * 10_000) / 10_000;
}

/** The stored figures of one school: the journal's answer, the people counts and the diary opens the district recorded. */
export function schoolFigures(
  journal: Record<string, unknown>,
  people: { students: number; guardians: number },
  diary: { students: number; parents: number },
): Figures {
  const figures: Figures = {};
  for (const f of FIGURES) {
    if (f.source !== 'journal') continue;
    const value = journal[f.key];
    figures[f.key] = value === null || value === undefined ? null : Number(value);
  }
  figures.students = people.students;
  figures.guardians = people.guardians;
  figures.studentsOpenedDiary = diary.students;
  figures.shareStudentsOpenedDiary = share(diary.students, people.students);
  figures.parentsOpenedDiary = diary.parents;
  figures.shareParentsOpenedDiary = share(diary.parents, people.guardians);
  return figures;
}

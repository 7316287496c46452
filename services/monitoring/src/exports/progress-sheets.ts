import { DomainError, ErrorCode } from '@district/kit';
import type { ExportColumn, ExportSheet } from './table-export';

const DIMENSIONS = ['YEAR_OF_STUDY', 'CLASS_GROUP', 'SUBJECT'] as const;

export interface ProgressRequest {
  period: { from?: string; to?: string; academicYear?: string; termNumber?: number };
  groupBy: string[];
  /** Names the file: 2026-09-01_2026-10-31 or 2026-2027-t1. */
  label: string;
  /** Ask for the students at risk by name (a school's deputy or director; district roles would be refused). */
  withNames: boolean;
}

/** The export's query string → the GraphQL arguments; the schools validate the period themselves. */
export function progressQuery(q: Record<string, unknown>, withNames: boolean): ProgressRequest {
  const text = (name: string) => (typeof q[name] === 'string' && q[name] !== '' ? (q[name] as string) : undefined);
  const groupBy = (text('groupBy') ?? '').split(',').filter(Boolean);
  const bad = groupBy.filter((g) => !(DIMENSIONS as readonly string[]).includes(g));
  if (bad.length) throw DomainError.invalid(`Группировка: ${DIMENSIONS.join(', ')}; неизвестно: ${bad.join(', ')}`, [{ field: 'groupBy', message: DIMENSIONS.join(' | ') }]);
  const termNumber = text('termNumber');
  const period = { from: text('from'), to: text('to'), academicYear: text('academicYear'), termNumber: termNumber === undefined ? undefined : Number(termNumber) };
  const label = period.academicYear ? `${period.academicYear.replace('/', '-')}-t${termNumber ?? ''}` : `${period.from ?? ''}_${period.to ?? ''}`;
  return { period, groupBy, label, withNames };
}

const ROW_FIELDS = 'schoolId yearOfStudy classGroup subject students ratedStudents qualityStudents successStudents qualityRate successRate numericMarks averageMark lessonSlots absences attendanceRate studentsAtRisk';
const AT_RISK_FIELDS = 'fullName classGroup yearOfStudy lowSubjects { subject average } absenceShare';

export interface ProgressAnswer {
  schools: { id: string; shortName: string; progress: { from: string; to: string; termName: string | null; rows: Record<string, unknown>[]; studentsAtRisk?: Record<string, unknown>[] } | null }[];
  /** Schools that did not answer, with the reason: their rows are missing from the file, and the file says so. */
  unavailable: { schoolId: string; reason: string }[];
}

interface GraphQLError {
  message: string;
  path?: (string | number)[];
  extensions?: { code?: string; schoolId?: string };
}

/**
 * Every school's progress through the gateway with the caller's own token, so
 * the schools apply their access rules to the caller (not to monitoring).
 */
export async function fetchProgress(gatewayUrl: string | undefined, authorization: string, request: ProgressRequest): Promise<ProgressAnswer> {
  if (!gatewayUrl) throw new DomainError(ErrorCode.SchoolUnavailable, 'Адрес шлюза не настроен: выгрузка успеваемости недоступна');
  const query = `query Progress($period: ProgressPeriodInput!, $groupBy: [ProgressDimension!]!) {
    schools { id shortName progress(period: $period, groupBy: $groupBy) { from to termName rows { ${ROW_FIELDS} } ${request.withNames ? `studentsAtRisk { ${AT_RISK_FIELDS} }` : ''} } }
  }`;
  const response = await fetch(gatewayUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization },
    body: JSON.stringify({ query, variables: { period: request.period, groupBy: request.groupBy } }),
    signal: AbortSignal.timeout(120_000),
  });
  const body = (await response.json()) as { data?: { schools?: ProgressAnswer['schools'] } | null; errors?: GraphQLError[] };
  const errors = body.errors ?? [];
  const unavailable = errors.filter((e) => e.extensions?.code === ErrorCode.SchoolUnavailable);
  const refused = errors.find((e) => e.extensions?.code !== ErrorCode.SchoolUnavailable);
  if (refused) throw new DomainError((refused.extensions?.code as ErrorCode) ?? ErrorCode.Internal, refused.message);
  if (!body.data?.schools) throw new DomainError(ErrorCode.SchoolUnavailable, `Шлюз не ответил (HTTP ${response.status})`);
  const schools = body.data.schools;
  return {
    schools,
    unavailable: unavailable.map((e) => {
      const index = typeof e.path?.[1] === 'number' ? e.path[1] : -1;
      return { schoolId: e.extensions?.schoolId ?? schools[index]?.id ?? '?', reason: e.message };
    }),
  };
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

/** Sections: the rows of every school; the students at risk (only when asked, i.e. for a school's own deputy); schools without data. */
export function progressSheets(answer: ProgressAnswer, withNames: boolean): ExportSheet[] {
  const answered = answer.schools.filter((s) => s.progress);
  const sheets: ExportSheet[] = [
    { name: 'Успеваемость', columns: ROW_COLUMNS, rows: answered.flatMap((s) => s.progress!.rows.map((r) => ({ ...r, shortName: s.shortName }))) },
  ];
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

import { askGateway, DomainError, ErrorCode, type GatewayAnswer } from '@district/kit';

export interface ProgressRequest {
  period: { from?: string; to?: string; academicYear?: string; termNumber?: number };
  groupBy: string[];
  /** Names the file: 2026-09-01_2026-10-31 or 2026-2027-t1. */
  label: string;
  /** Ask for the students at risk by name (a school's deputy or director; district roles would be refused). */
  withNames: boolean;
}

const ROW_FIELDS =
  'schoolId yearOfStudy classGroup subject students ratedStudents qualityStudents successStudents qualityRate successRate numericMarks weightedMarkSum weightSum averageMark lessonSlots absences attendanceRate studentsAtRisk';
const AT_RISK_FIELDS = 'fullName classGroup yearOfStudy lowSubjects { subject average } absenceShare';

export interface ProgressAnswer {
  schools: {
    id: string;
    shortName: string;
    progress: { from: string; to: string; termName: string | null; rows: Record<string, unknown>[]; studentsAtRisk?: Record<string, unknown>[] } | null;
  }[];
  /** Schools that did not answer, with the reason: their rows are missing from the file, and the file says so. */
  unavailable: { schoolId: string; reason: string }[];
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
  let body: GatewayAnswer<{ schools?: ProgressAnswer['schools'] }>;
  try {
    body = await askGateway(gatewayUrl, {
      authorization,
      query,
      variables: { period: request.period, groupBy: request.groupBy },
      client: 'monitoring',
      timeoutMs: 120_000,
    });
  } catch (error) {
    throw new DomainError(ErrorCode.SchoolUnavailable, `Шлюз не ответил: ${(error as Error).message}`, { retryable: true });
  }
  const errors = body.errors ?? [];
  const unavailable = errors.filter((e) => e.extensions?.code === ErrorCode.SchoolUnavailable);
  const refused = errors.find((e) => e.extensions?.code !== ErrorCode.SchoolUnavailable);
  if (refused) throw new DomainError((refused.extensions?.code as ErrorCode) ?? ErrorCode.Internal, refused.message);
  if (!body.data?.schools) throw new DomainError(ErrorCode.SchoolUnavailable, `Шлюз не ответил (HTTP ${body.status})`);
  const schools = body.data.schools;
  return {
    schools,
    unavailable: unavailable.map((e) => {
      const index = typeof e.path?.[1] === 'number' ? e.path[1] : -1;
      return { schoolId: e.extensions?.schoolId ?? schools[index]?.id ?? '?', reason: e.message };
    }),
  };
}

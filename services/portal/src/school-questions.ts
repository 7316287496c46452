import { DomainError, ErrorCode } from '@district/kit';

const MARK = 'value controlForm weight comment';

/** Each school's side (journal's School.portalDiary): the match, and the week only for the child's guardian. */
export const DIARY_QUERY = `query PortalSchoolDiary($match: PortalMatchInput!, $weekStart: String!) {
  schools { id shortName status portalDiary(match: $match, weekStart: $weekStart) {
    outcome studentId fullName classGroup
    diary { weekStart term days { date weekday lessons { period startTime endTime subject cancelled topic homework attendance marks { ${MARK} } } }
            subjects { subject average marksCount } }
  } }
}`;

/** Each school's side (journal's School.portalProgress). */
export const PROGRESS_QUERY = `query PortalSchoolProgress($match: PortalMatchInput!, $from: String!, $to: String!) {
  schools { id shortName status portalProgress(match: $match, from: $from, to: $to) {
    outcome studentId fullName classGroup
    progress { from to subjects { subject marksCount average marks { date ${MARK} } } attendance { lessons absent sick excused late } termGrades { term subject grade } }
  } }
}`;

interface Mark {
  date?: string;
  value: string;
  controlForm: string;
  weight: number;
  comment: string | null;
}

export interface SchoolAnswer {
  schoolId: string;
  schoolName: string;
  answer: {
    outcome: 'FOUND' | 'CHILD_NOT_FOUND' | 'AMBIGUOUS_CHILD' | 'NOT_A_GUARDIAN';
    studentId: string | null;
    fullName: string | null;
    classGroup: string | null;
    diary?: {
      weekStart: string;
      term: string | null;
      days: {
        date: string;
        weekday: string;
        lessons: {
          period: number;
          startTime: string;
          endTime: string;
          subject: string;
          cancelled: boolean;
          topic: string | null;
          homework: string | null;
          attendance: string | null;
          marks: Mark[];
        }[];
      }[];
      subjects: { subject: string; average: number | null; marksCount: number }[];
    } | null;
    progress?: {
      from: string;
      to: string;
      subjects: { subject: string; marksCount: number; average: number | null; marks: (Mark & { date: string })[] }[];
      attendance: { lessons: number; absent: number; sick: number; excused: number; late: number };
      termGrades: { term: string; subject: string; grade: string }[];
    } | null;
  };
}

interface GraphQLAnswer {
  data?: { schools?: ({ id: string; shortName: string; status: string } & Record<string, SchoolAnswer['answer'] | null>)[] } | null;
  errors?: { message: string; path?: (string | number)[]; extensions?: { code?: string; schoolId?: string } }[];
}

/**
 * One question to every started school of the registry at once, through the
 * gateway's school router, with the portal service's own token and the
 * portal's request id. Answers the schools that answered and names the ones
 * that did not; any other error is the service's own failure.
 */
export async function askSchools(
  deps: { gatewayUrl: () => string | undefined; serviceToken: () => Promise<string>; timeoutMs: number },
  requestId: string,
  query: string,
  variables: Record<string, unknown>,
): Promise<{ answers: SchoolAnswer[]; unavailable: string[] }> {
  const url = deps.gatewayUrl();
  if (!url) throw new DomainError(ErrorCode.SchoolUnavailable, 'Шлюз района ещё не запущен; повторите запрос позже', { retryable: true });
  let body: GraphQLAnswer;
  try {
    const response = await fetch(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${await deps.serviceToken()}`,
        'x-request-id': requestId,
        'x-client-name': 'portal',
      },
      body: JSON.stringify({ query, variables }),
      signal: AbortSignal.timeout(deps.timeoutMs),
    });
    body = (await response.json()) as GraphQLAnswer;
  } catch {
    throw new DomainError(ErrorCode.SchoolUnavailable, 'Школы района сейчас не отвечают; повторите запрос позже', { retryable: true });
  }
  const schools = body.data?.schools;
  const errors = body.errors ?? [];
  const other = errors.find((e) => e.extensions?.code !== ErrorCode.SchoolUnavailable);
  if (other || !schools) {
    throw new DomainError(ErrorCode.Internal, `Служба портала не смогла опросить школы: ${other?.message ?? 'нет ответа шлюза'}`);
  }
  const field = query.includes('portalDiary') ? 'portalDiary' : 'portalProgress';
  const failed = new Set(
    errors
      .map((e) => e.extensions?.schoolId ?? (typeof e.path?.[1] === 'number' ? schools[e.path[1]]?.id : undefined))
      .filter((id): id is string => Boolean(id)),
  );
  const answers: SchoolAnswer[] = [];
  const unavailable: string[] = [];
  for (const school of schools) {
    const answer = school[field] as SchoolAnswer['answer'] | null | undefined;
    if (answer && !failed.has(school.id)) answers.push({ schoolId: school.id, schoolName: school.shortName, answer });
    // A school not started has no journal yet: it cannot hold the child.
    else if (school.status !== 'NOT_STARTED') unavailable.push(school.id);
  }
  return { answers, unavailable: unavailable.sort() };
}

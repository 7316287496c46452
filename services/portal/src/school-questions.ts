import { askGateway, DomainError, ErrorCode, type GatewayAnswer } from '@district/kit';

const MARK = 'value controlForm weight comment';

/** Every school at once: is the child theirs, and the applicant the child's guardian? (journal's School.portalMatch) */
export const MATCH_QUERY = `query PortalSchoolMatch($match: PortalMatchInput!) {
  schools { id shortName status portalMatch(match: $match) { outcome studentId fullName classGroup } }
}`;

/** Then the one school that found the child, for the week (it matches again: the data goes only with the match). */
export const DIARY_QUERY = `query PortalSchoolDiary($schoolId: ID!, $match: PortalMatchInput!, $weekStart: String!) {
  school(id: $schoolId) { id portalDiary(match: $match, weekStart: $weekStart) {
    outcome
    diary { weekStart term days { date weekday lessons { period startTime endTime subject cancelled topic homework attendance marks { ${MARK} } } }
            subjects { subject average marksCount } }
  } }
}`;

/** Or for the period's progress. */
export const PROGRESS_QUERY = `query PortalSchoolProgress($schoolId: ID!, $match: PortalMatchInput!, $from: String!, $to: String!) {
  school(id: $schoolId) { id portalProgress(match: $match, from: $from, to: $to) {
    outcome
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

interface Deps {
  gatewayUrl: () => string | undefined;
  serviceToken: () => Promise<string>;
  timeoutMs: number;
}

const unavailableNow = (message: string) => new DomainError(ErrorCode.SchoolUnavailable, message, { retryable: true });

/** One request through the gateway's school router with the portal service's own token and the portal's request id. */
async function post<T>(deps: Deps, requestId: string, query: string, variables: Record<string, unknown>): Promise<GatewayAnswer<T>> {
  let authorization: string;
  try {
    authorization = `Bearer ${await deps.serviceToken()}`;
  } catch {
    throw unavailableNow('Служба входа района сейчас не выдаёт токены; повторите запрос позже');
  }
  try {
    return await askGateway<T>(deps.gatewayUrl(), { authorization, query, variables, requestId, client: 'portal', timeoutMs: deps.timeoutMs });
  } catch (error) {
    if ((error as Error).name === 'GatewayUnreachable') throw unavailableNow('Школы района сейчас не отвечают; повторите запрос позже');
    throw error;
  }
}

/** Anything but a silent school is the portal service's own failure (its account, the schema): not the applicant's. */
function failure(errors: GatewayAnswer<unknown>['errors']): DomainError | undefined {
  const other = (errors ?? []).find((e) => e.extensions?.code !== ErrorCode.SchoolUnavailable);
  return other && new DomainError(ErrorCode.Internal, `Служба портала не смогла опросить школы: ${other.message}`);
}

/**
 * Every started school of the registry at once: the match only (a few fields
 * a school), so the question stays cheap however many schools there are.
 * Answers the schools that answered and names the ones that did not.
 */
export async function matchEverySchool(
  deps: Deps,
  requestId: string,
  match: Record<string, unknown>,
): Promise<{ answers: SchoolAnswer[]; unavailable: string[] }> {
  type Row = { id: string; shortName: string; status: string; portalMatch: SchoolAnswer['answer'] | null };
  const body = await post<{ schools: Row[] }>(deps, requestId, MATCH_QUERY, { match });
  const schools = body.data?.schools;
  const wrong = failure(body.errors);
  if (wrong) throw wrong;
  if (!schools) throw new DomainError(ErrorCode.Internal, 'Служба портала не смогла опросить школы: нет ответа шлюза');
  const failed = new Set(
    (body.errors ?? [])
      .map((e) => e.extensions?.schoolId ?? (typeof e.path?.[1] === 'number' ? schools[e.path[1]]?.id : undefined))
      .filter((id): id is string => Boolean(id)),
  );
  const answers: SchoolAnswer[] = [];
  const unavailable: string[] = [];
  for (const school of schools) {
    if (school.portalMatch && !failed.has(school.id)) answers.push({ schoolId: school.id, schoolName: school.shortName, answer: school.portalMatch });
    // A school not started has no journal yet: it cannot hold the child.
    else if (school.status !== 'NOT_STARTED') unavailable.push(school.id);
  }
  return { answers, unavailable: unavailable.sort() };
}

/** The data from the one school that found the child (DIARY_QUERY or PROGRESS_QUERY); a school gone silent meanwhile is unavailable. */
export async function askOneSchool(deps: Deps, requestId: string, query: string, variables: Record<string, unknown>): Promise<SchoolAnswer['answer']> {
  const field = query === DIARY_QUERY ? 'portalDiary' : 'portalProgress';
  const body = await post<{ school: Record<string, SchoolAnswer['answer'] | null> | null }>(deps, requestId, query, variables);
  const wrong = failure(body.errors);
  if (wrong) throw wrong;
  const answer = body.data?.school?.[field];
  if (!answer) throw unavailableNow(`Сведения школы ${String(variables.schoolId)} сейчас недоступны; повторите запрос позже`);
  return answer;
}

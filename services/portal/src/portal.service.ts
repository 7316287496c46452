import { AuditLog, DomainError, ErrorCode, identityKeyOf, Validator, type Viewer } from '@district/kit';
import type { EntityManager } from '@mikro-orm/postgresql';
import { PortalError } from './portal.errors';
import type { PortalApplicantInput, PortalChildInput } from './portal.inputs';
import type { PortalAccess, PortalChild, PortalDiary, PortalProgress } from './portal.type';
import { askOneSchool, DIARY_QUERY, matchEverySchool, PROGRESS_QUERY, type SchoolAnswer } from './school-questions';

/** The longest period one question may cover: a school year and a bit. */
const MAX_DAYS = 366;

export interface PortalDeps {
  gatewayUrl: () => string | undefined;
  /** The portal service's own token (realm role gateway): the schools answer only it. */
  serviceToken: () => Promise<string>;
  identityKeySecret: string;
  timeoutMs: number;
}

interface PortalRequest {
  viewer: Viewer;
  em: EntityManager;
  requestId: string;
  client: string;
}

type Operation = 'PROGRESS' | 'DIARY';

const accessLog = new AuditLog('portal');

/**
 * Answers the state portal about a child for an applicant the portal
 * verified: the SNILS are turned into the district's identity keys here (the
 * numbers go no further), every school of the district is asked at once
 * through the gateway, and each matches the child and the applicant in its
 * own data. The answer is the child's data only when the applicant is
 * recorded as their guardian; every answer and every refusal is written to
 * the access log before it leaves.
 */
export class PortalService {
  constructor(
    private readonly request: PortalRequest,
    private readonly deps: PortalDeps,
  ) {}

  async progress(applicant: PortalApplicantInput, child: PortalChildInput, fromInput: string, toInput: string): Promise<PortalProgress> {
    const v = new Validator();
    const keys = this.keys(v, applicant, child);
    const from = v.date('from', fromInput, { label: 'Начало периода', min: '2000-01-01', max: '2100-01-01' });
    const to = v.date('to', toInput, { label: 'Конец периода', min: '2000-01-01', max: '2100-01-01' });
    if (from && to) {
      v.check(from <= to, 'to', 'Конец периода раньше начала');
      v.check(daysBetween(from, to) < MAX_DAYS, 'to', `Период не длиннее ${MAX_DAYS} дней`);
    }
    v.done('Запрос портала заполнен неверно');
    const asked = `${from}..${to}`;
    const found = await this.find('PROGRESS', keys, asked, PROGRESS_QUERY, { from, to });
    const progress = found.answer.progress!;
    const marks = progress.subjects.reduce((n, s) => n + s.marks.length, 0);
    await this.log('PROGRESS', keys, asked, 'OK', found, { subjects: progress.subjects.length, marks, termGrades: progress.termGrades.length });
    return { requestId: this.request.requestId, child: found.child, ...progress };
  }

  async diary(applicant: PortalApplicantInput, child: PortalChildInput, weekStartInput: string): Promise<PortalDiary> {
    const v = new Validator();
    const keys = this.keys(v, applicant, child);
    const weekStart = v.date('weekStart', weekStartInput, { label: 'Начало недели', min: '2000-01-01', max: '2100-01-01' });
    v.done('Запрос портала заполнен неверно');
    const found = await this.find('DIARY', keys, weekStart!, DIARY_QUERY, { weekStart });
    const diary = found.answer.diary!;
    const lessons = diary.days.reduce((n, d) => n + d.lessons.length, 0);
    const marks = diary.days.reduce((n, d) => n + d.lessons.reduce((m, l) => m + l.marks.length, 0), 0);
    await this.log('DIARY', keys, diary.weekStart, 'OK', found, { days: diary.days.length, lessons, marks });
    return {
      requestId: this.request.requestId,
      child: found.child,
      weekStart: diary.weekStart,
      term: diary.term ?? null,
      days: diary.days.map((d) => ({ ...d, lessons: d.lessons.map((l) => ({ ...l, marks: l.marks.map((m) => ({ ...m, date: d.date })) })) })),
      subjects: diary.subjects.map((s) => ({ subject: s.subject, average: s.average ?? null, marksCount: s.marksCount })),
    };
  }

  /** Who asked the portal about a child (by the Student id) or what one portal request got (by its reference). */
  async accessLog(studentId: string | null | undefined, requestId: string | null | undefined): Promise<PortalAccess[]> {
    const v = new Validator();
    v.check(Boolean(studentId) !== Boolean(requestId), 'studentId', 'Укажите обучающегося (studentId) или номер запроса портала (requestId)');
    v.done();
    const rows = await this.request.em
      .getConnection()
      .execute<{ id: string; at: Date | string; action: string; reason: string; request_id: string; actor_name: string; new: Record<string, unknown> }[]>(
        studentId
          ? `select * from portal.audit where entity = 'Student' and entity_id = ? order by id desc limit 500`
          : `select * from portal.audit where request_id = ? order by id desc limit 500`,
        [studentId ?? requestId],
      );
    return rows.map((r) => ({
      id: String(r.id),
      at: new Date(r.at).toISOString(),
      operation: r.action,
      outcome: r.reason,
      requestId: r.request_id,
      client: r.actor_name,
      applicantKey: String(r.new.applicantKey),
      asked: String(r.new.asked),
      returned: r.new.returned ? JSON.stringify(r.new.returned) : null,
    }));
  }

  private keys(v: Validator, applicant: PortalApplicantInput, child: PortalChildInput): Keys {
    const secret = this.deps.identityKeySecret;
    const applicantSnils = v.snils('applicant.snils', applicant.snils);
    if (child.snils?.trim()) {
      const childSnils = v.snils('child.snils', child.snils);
      return { applicantKey: applicantSnils && identityKeyOf(secret, applicantSnils), childKey: childSnils && identityKeyOf(secret, childSnils) };
    }
    const lastName = v.text('child.lastName', child.lastName, { max: 100, label: 'Фамилия ребёнка (или СНИЛС ребёнка)' });
    const firstName = v.text('child.firstName', child.firstName, { max: 100, label: 'Имя ребёнка (или СНИЛС ребёнка)' });
    const birthDate = v.date('child.birthDate', child.birthDate, { label: 'Дата рождения ребёнка (или СНИЛС ребёнка)', min: '1990-01-01', max: '2100-01-01' });
    return { applicantKey: applicantSnils && identityKeyOf(secret, applicantSnils), lastName, firstName, birthDate };
  }

  /**
   * Asks every school; exactly one must have found the child with this
   * applicant as guardian. A refusal is logged and thrown; a school that did
   * not answer makes "not found" unknowable, so that is a retryable
   * SCHOOL_UNAVAILABLE, never a refusal presented as complete.
   */
  private async find(operation: Operation, keys: Keys, asked: string, query: string, variables: Record<string, unknown>): Promise<Found> {
    const match = {
      applicantKey: keys.applicantKey,
      childKey: keys.childKey ?? null,
      lastName: keys.lastName ?? null,
      firstName: keys.firstName ?? null,
      birthDate: keys.birthDate ?? null,
    };
    const { answers, unavailable } = await matchEverySchool(this.deps, this.request.requestId, match);
    const found = answers.filter((a) => a.answer.outcome === 'FOUND');
    const refusedAs = (outcome: string, at?: SchoolAnswer) => this.refuse(operation, keys, asked, outcome, at);
    if (found.length === 1 && !answers.some((a) => a.answer.outcome === 'AMBIGUOUS_CHILD')) {
      const [school] = found as [SchoolAnswer];
      const child: PortalChild = {
        schoolId: school.schoolId,
        schoolName: school.schoolName,
        fullName: school.answer.fullName ?? '',
        classGroup: school.answer.classGroup ?? null,
      };
      const answer = await askOneSchool(this.deps, this.request.requestId, query, { schoolId: school.schoolId, match, ...variables });
      // The child left, or the link was removed, between the two questions: the school's word now counts.
      if (answer.outcome !== 'FOUND') return refusedAs(answer.outcome, { ...school, answer: { ...school.answer, outcome: answer.outcome } });
      return { child, answer, studentId: school.answer.studentId! };
    }
    if (found.length > 1 || answers.some((a) => a.answer.outcome === 'AMBIGUOUS_CHILD')) {
      return refusedAs('AMBIGUOUS_CHILD', found.length > 1 ? undefined : answers.find((a) => a.answer.outcome === 'AMBIGUOUS_CHILD'));
    }
    if (unavailable.length > 0) {
      await this.writeLog(operation, keys, asked, ErrorCode.SchoolUnavailable, null, null, { unavailable });
      throw new DomainError(
        ErrorCode.SchoolUnavailable,
        `Сведения ${unavailable.length === 1 ? 'школы' : 'школ'} ${unavailable.join(', ')} сейчас недоступны; повторите запрос позже`,
        { retryable: true, schools: unavailable },
      );
    }
    const notGuardian = answers.find((a) => a.answer.outcome === 'NOT_A_GUARDIAN');
    if (notGuardian) return refusedAs('NOT_A_GUARDIAN', notGuardian);
    return refusedAs('CHILD_NOT_FOUND');
  }

  private async refuse(operation: Operation, keys: Keys, asked: string, outcome: string, at?: SchoolAnswer): Promise<never> {
    await this.writeLog(operation, keys, asked, outcome, at?.answer.studentId ?? null, at?.schoolId ?? null, null);
    const messages: Record<string, string> = {
      AMBIGUOUS_CHILD: 'Найдено несколько детей с такими данными: укажите СНИЛС ребёнка',
      NOT_A_GUARDIAN: 'Заявитель не указан в школе как родитель или законный представитель этого ребёнка',
      CHILD_NOT_FOUND: 'Ребёнок с такими данными не обучается сейчас в школах района',
    };
    throw new PortalError(outcome as 'CHILD_NOT_FOUND', messages[outcome]!);
  }

  private log(operation: Operation, keys: Keys, asked: string, outcome: string, found: Found, returned: Record<string, number>): Promise<void> {
    return this.writeLog(operation, keys, asked, outcome, found.studentId, found.child.schoolId, returned);
  }

  private async writeLog(
    operation: Operation,
    keys: Keys,
    asked: string,
    outcome: string,
    studentId: string | null,
    schoolId: string | null,
    returned: Record<string, unknown> | null,
  ): Promise<void> {
    const { viewer, requestId, client } = this.request;
    await this.request.em.transactional((em) =>
      accessLog.append(em as EntityManager, {
        actor: viewer.subject || null,
        actorName: viewer.username,
        entity: studentId ? 'Student' : 'PortalRequest',
        entityId: studentId ?? requestId,
        action: operation,
        old: null,
        new: {
          applicantKey: keys.applicantKey,
          childBy: keys.childKey ? 'snils' : 'name',
          ...(keys.childKey ? { childKey: keys.childKey } : {}),
          asked,
          schoolId,
          returned,
        },
        reason: outcome,
        requestId,
        client,
      }),
    );
  }
}

interface Keys {
  applicantKey?: string;
  childKey?: string;
  lastName?: string;
  firstName?: string;
  birthDate?: string;
}

interface Found {
  child: PortalChild;
  answer: SchoolAnswer['answer'];
  studentId: string;
}

function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

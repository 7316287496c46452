import { DomainError, parseGlobalId, requireAction, Validator } from '@district/kit';
import type { PeopleContext } from '../context';
import type { PersonalDataAccessRow } from './personal-data-access.type';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const REASON_MIN = 10;
const REASON_MAX = 500;
const COLUMNS = `id, student_id, requester_person_id, requester_username, reason, request_id, client, opened_at, expires_at, expires_at > now() as open`;

export interface AccessLogFilter {
  studentId?: string | null;
  limit: number;
  offset: number;
}

/**
 * District access to one student's personal data: opened by a district admin
 * with a reason, for a limited time, written to the school's append-only log
 * (people.personal_data_access); read back by the school's director and the
 * district admins. While it is open, people and the journal (through
 * people.personal_data_access_facts) show that admin that student's personal
 * data, and nobody else's.
 */
export class PersonalDataAccessService {
  constructor(private readonly ctx: PeopleContext) {}

  async open(studentGlobalId: string, reasonInput: string): Promise<PersonalDataAccessRow> {
    const { viewer, schoolId, em } = this.ctx;
    requireAction(viewer, 'personal:openAccess', schoolId, 'Открыть доступ к персональным данным обучающегося может только администратор округа');
    const personId = viewer.personId && UUID.test(viewer.personId) ? viewer.personId.toLowerCase() : undefined;
    if (!personId || !viewer.username) throw DomainError.forbidden('Доступ открывается только от имени учётной записи с person_id: в токене его нет');
    const v = new Validator();
    const reason = v.text('reason', reasonInput, { max: REASON_MAX, label: 'Причина' });
    if (reason !== undefined)
      v.check(reason.length >= REASON_MIN, 'reason', `Причина: не короче ${REASON_MIN} символов — укажите основание (обращение, проверка, запрос)`);
    let studentId: number | undefined;
    try {
      studentId = parseGlobalId(studentGlobalId, 'Student', schoolId).localId;
    } catch (error) {
      if (error instanceof DomainError && error.code !== 'BAD_USER_INPUT') throw error;
      v.check(false, 'studentId', `Некорректный идентификатор обучающегося: ${studentGlobalId}`);
    }
    v.done();
    return em.transactional(async (tx) => {
      // The row is written only if the student exists: one statement, and NOT_FOUND otherwise.
      const [row] = await tx.execute<PersonalDataAccessRow[]>(
        `insert into people.personal_data_access (student_id, requester_person_id, requester_username, reason, request_id, client, expires_at)
         select s.id, ?::uuid, ?, ?, ?, ?, now() + make_interval(mins => ?::int) from people.student s where s.id = ?
         returning ${COLUMNS}`,
        [
          personId,
          viewer.username.slice(0, 100),
          reason!,
          this.ctx.requestId,
          this.ctx.client.slice(0, 200),
          this.ctx.loaders.settings.personalDataAccessMinutes,
          studentId!,
        ],
      );
      if (!row) throw DomainError.notFound('Обучающийся', studentGlobalId);
      return row;
    });
  }

  /** The school's log, newest first: its director and the district admins. */
  async log(filter: AccessLogFilter): Promise<PersonalDataAccessRow[]> {
    const { viewer, schoolId, em } = this.ctx;
    requireAction(viewer, 'personal:readAccessLog', schoolId, 'Журнал доступа к персональным данным видят директор школы и администраторы округа');
    const v = new Validator();
    v.int('limit', filter.limit, { min: 1, max: 500 });
    v.int('offset', filter.offset, { min: 0, max: 1_000_000 });
    let studentId: number | undefined;
    if (filter.studentId) {
      try {
        studentId = parseGlobalId(filter.studentId, 'Student', schoolId).localId;
      } catch (error) {
        if (error instanceof DomainError && error.code !== 'BAD_USER_INPUT') throw error;
        v.check(false, 'studentId', `Некорректный идентификатор обучающегося: ${filter.studentId}`);
      }
    }
    v.done();
    return em.execute<PersonalDataAccessRow[]>(
      `select ${COLUMNS} from people.personal_data_access ${studentId === undefined ? '' : 'where student_id = ?'} order by opened_at desc, id desc limit ? offset ?`,
      [...(studentId === undefined ? [] : [studentId]), filter.limit, filter.offset],
    );
  }
}

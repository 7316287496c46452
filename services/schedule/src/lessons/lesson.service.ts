import { DomainError, parseGlobalId, requireAction, Validator } from '@district/kit';
import { accessOf } from '../access';
import { TeachingAssignment } from '../assignments/teaching-assignment.entity';
import { addDays, DATE_RANGE, daysInclusive, mondayOf } from '../dates';
import type { ScheduleContext } from '../context';
import { PeopleFacts } from '../people-facts';
import { query } from '../sql';
import { Term } from '../years/year.entity';
import { generateTermLessons, type GenerationCounts } from './lesson-generator';
import { Lesson } from './lesson.entity';

/** The longest date range one timetable request may ask for (about two months). */
export const MAX_RANGE_DAYS = 62;

const BY_TIME = [{ date: 'asc' }, { period: 'asc' }, { id: 'asc' }] as const;

function validRange(from: string, to: string): { from: string; to: string } {
  const v = new Validator();
  const f = v.date('from', from, { label: 'С', ...DATE_RANGE });
  const t = v.date('to', to, { label: 'По', ...DATE_RANGE });
  if (f && t) {
    v.check(f <= t, 'to', 'Конец периода раньше начала');
    v.check(f > t || daysInclusive(f, t) <= MAX_RANGE_DAYS, 'to', `Не больше ${MAX_RANGE_DAYS} дней за один запрос`);
  }
  v.done();
  return { from: f!, to: t! };
}

export class LessonService {
  constructor(private readonly ctx: ScheduleContext) {}

  /** A class's lessons between two dates (every group of it), by date and period. */
  async timetable(classGroupId: string, from: string, to: string): Promise<Lesson[]> {
    const { localId } = parseGlobalId(classGroupId, 'ClassGroup', this.ctx.schoolId);
    const range = validRange(from, to);
    if (!(await accessOf(this.ctx).canSeeClass(localId, range.from, range.to))) throw DomainError.forbidden('Нет доступа к расписанию этого класса');
    const assignments = await this.ctx.em.find(TeachingAssignment, { classGroupId: localId });
    if (assignments.length === 0) return [];
    return this.ctx.em.find(
      Lesson,
      { teachingAssignmentId: { $in: assignments.map((a) => a.id) }, date: { $gte: range.from, $lte: range.to } },
      { orderBy: [...BY_TIME] },
    );
  }

  /** A teacher's lessons (assigned or as a substitute) between two dates; the viewer's own when no teacher is named. */
  async teacherLessons(from: string, to: string, teacherId?: string | null): Promise<Lesson[]> {
    const access = accessOf(this.ctx);
    const { viewer, schoolId } = this.ctx;
    let staffId: number;
    if (teacherId) {
      staffId = parseGlobalId(teacherId, 'Staff', schoolId).localId;
      if (!access.seesWholeSchool && (await access.staffId()) !== staffId) throw DomainError.forbidden('Нет доступа к расписанию этого учителя');
    } else {
      requireAction(viewer, 'staff:work', schoolId, 'Своё расписание видят сотрудники школы; укажите учителя');
      const own = await access.staffId();
      if (own === undefined) throw DomainError.notFound('Сотрудник, связанный с вашей учётной записью,', viewer.username);
      staffId = own;
    }
    const range = validRange(from, to);
    const assignments = await this.ctx.em.find(TeachingAssignment, { teacherStaffId: staffId });
    return this.ctx.em.find(
      Lesson,
      {
        $or: [{ teachingAssignmentId: { $in: assignments.map((a) => a.id) } }, { substituteStaffId: staffId }],
        date: { $gte: range.from, $lte: range.to },
      },
      { orderBy: [...BY_TIME] },
    );
  }

  /**
   * The lessons a student takes in the week (Monday to Sunday) of `weekStart`:
   * their class's and only their own groups', as schedule.lesson_students says.
   */
  async studentWeek(studentId: string, weekStart: string): Promise<Lesson[]> {
    const { localId } = parseGlobalId(studentId, 'Student', this.ctx.schoolId);
    if (!(await accessOf(this.ctx).canSeeStudent(localId))) throw DomainError.forbidden('Нет доступа к дневнику этого обучающегося');
    const v = new Validator();
    const start = v.date('weekStart', weekStart, { label: 'Неделя', ...DATE_RANGE });
    v.done();
    if ((await new PeopleFacts(this.ctx.em).studentsExist([localId])).size === 0) throw DomainError.notFound('Обучающийся', studentId);
    const monday = mondayOf(start!);
    const rows = await query<{ lessonId: number }>(
      this.ctx.em,
      `select ls.lesson_id as "lessonId" from schedule.lesson_students ls join schedule.lesson l on l.id = ls.lesson_id
       where ls.student_id = ? and l.date between ?::date and ?::date`,
      [localId, monday, addDays(monday, 6)],
    );
    if (rows.length === 0) return [];
    return this.ctx.em.find(Lesson, { id: { $in: rows.map((r) => r.lessonId) } }, { orderBy: [...BY_TIME] });
  }

  async get(id: string): Promise<Lesson | null> {
    const { localId } = parseGlobalId(id, 'Lesson', this.ctx.schoolId);
    const lesson = await this.ctx.loaders.lesson.load(localId);
    if (!lesson) return null;
    if (!(await this.canSee(lesson))) throw DomainError.forbidden('Нет доступа к этому уроку');
    return lesson;
  }

  /** Anyone who may read the lesson's class timetable may read the lesson. */
  async canSee(lesson: Lesson): Promise<boolean> {
    const access = accessOf(this.ctx);
    if (access.seesWholeSchool) return true;
    const assignment = await this.ctx.loaders.assignment.load(lesson.teachingAssignmentId);
    return !!assignment && access.canSeeClass(assignment.classGroupId, lesson.date);
  }

  /** Creates the term's lessons from the timetable (idempotent), in one transaction. */
  async generate(termId: string): Promise<GenerationCounts & { term: Term }> {
    accessOf(this.ctx).requireDeputy();
    const { localId } = parseGlobalId(termId, 'Term', this.ctx.schoolId);
    return this.ctx.em.transactional(async (em) => {
      const term = await em.findOne(Term, { id: localId });
      if (!term) throw DomainError.notFound('Учебный период', termId);
      if (term.closedAt) throw DomainError.conflict(`Период «${term.name}» закрыт: уроки в нём не создаются`);
      return { ...(await generateTermLessons(em, term.id)), term };
    });
  }
}

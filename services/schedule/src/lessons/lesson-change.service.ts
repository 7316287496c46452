import type { EntityManager } from '@mikro-orm/postgresql';
import { DomainError, findForEdit, flushExplained, parseGlobalId, Validator } from '@district/kit';
import { accessOf, actorOf } from '../access';
import { groupsMayShareSlot } from '../assignments/teaching-assignment.service';
import { TeachingAssignment } from '../assignments/teaching-assignment.entity';
import { BellPeriod } from '../bells/bell-period.entity';
import { DATE_RANGE, isoWeekday } from '../dates';
import { validId } from '../ids';
import type { ScheduleContext } from '../context';
import { PeopleFacts } from '../people-facts';
import { lockFor, query } from '../sql';
import { Term } from '../years/year.entity';
import { Lesson, LessonChange, type LessonChangeKind } from './lesson.entity';
import { snapshotOf } from './lesson.type';

export interface MoveInput {
  date: string;
  period: number;
  /** null: the lesson keeps its room. */
  room?: string | null;
}

interface Occupant {
  id: number;
  teachingAssignmentId: number;
  status: string;
  room: string | null;
  teacherStaffId: number;
  classGroupId: number;
  groupName: string | null;
}

function validReason(v: Validator, reason: string): string {
  return v.text('reason', reason, { max: 500, label: 'Причина' }) ?? '';
}

/**
 * One-off changes of a dated lesson (замена, перенос, отмена, смена кабинета)
 * by a deputy or the school-admin. Each checks the lesson's version, writes
 * the lesson and its lesson_change row in one transaction, and bumps the
 * version.
 */
export class LessonChangeService {
  constructor(private readonly ctx: ScheduleContext) {}

  async substitute(lessonId: string, substituteStaffId: string | null, reason: string, version: number): Promise<Lesson> {
    accessOf(this.ctx).requireDeputy();
    const v = new Validator();
    const staffId = substituteStaffId === null ? null : validId(v, 'substituteStaffId', substituteStaffId, 'Staff', this.ctx.schoolId, 'Заменяющий учитель');
    const why = validReason(v, reason);
    v.done();
    return this.edit(lessonId, version, why, async (em, lesson, assignment) => {
      if (lesson.status === 'CANCELLED') throw DomainError.conflict('Урок отменён: замена не нужна');
      if (staffId === null || staffId === undefined) {
        if (!lesson.substituteStaffId) throw DomainError.invalid('У урока нет замены', [{ field: 'substituteStaffId', message: 'no substitution to undo' }]);
      } else {
        const [staff] = await new PeopleFacts(em).staff([staffId]);
        if (!staff) throw DomainError.notFound('Сотрудник', substituteStaffId!);
        const problems = new Validator();
        problems.check(staff.active, 'substituteStaffId', `${staff.fullName} не работает в школе`);
        problems.check(
          staffId !== assignment.teacherStaffId,
          'substituteStaffId',
          `${staff.fullName} и так ведёт этот урок; чтобы отменить замену, передайте null`,
        );
        problems.check(staffId !== lesson.substituteStaffId, 'substituteStaffId', `${staff.fullName} уже заменяет на этом уроке`);
        problems.done();
        await lockFor(em, 'staff', staffId);
        await this.refuseOccupied(em, lesson, assignment, { date: lesson.date, period: lesson.period, teacherStaffId: staffId, room: null, classToo: false });
      }
      lesson.substituteStaffId = staffId ?? null;
      return 'SUBSTITUTION';
    });
  }

  async cancel(lessonId: string, reason: string, version: number): Promise<Lesson> {
    accessOf(this.ctx).requireDeputy();
    const v = new Validator();
    const why = validReason(v, reason);
    v.done();
    return this.edit(lessonId, version, why, async (_em, lesson) => {
      if (lesson.status === 'CANCELLED') throw DomainError.conflict('Урок уже отменён', { version: lesson.version });
      lesson.status = 'CANCELLED';
      return 'CANCELLED';
    });
  }

  /** Moves a lesson to another date and period (MOVED), or only to another room (ROOM). */
  async move(lessonId: string, input: MoveInput, reason: string, version: number): Promise<Lesson> {
    accessOf(this.ctx).requireDeputy();
    const v = new Validator();
    const date = v.date('date', input.date, { label: 'Дата', ...DATE_RANGE });
    const period = v.int('period', input.period, { min: 1, max: 8, label: 'Номер урока' });
    const room = v.text('room', input.room, { required: false, max: 20, label: 'Кабинет' }) ?? null;
    const why = validReason(v, reason);
    v.done();
    return this.edit(lessonId, version, why, async (em, lesson, assignment) => {
      if (lesson.status === 'CANCELLED') throw DomainError.conflict('Урок отменён: переносить нечего');
      const newRoom = room ?? lesson.room ?? null;
      const sameSlot = date === lesson.date && period === lesson.period;
      if (sameSlot && newRoom === (lesson.room ?? null)) throw DomainError.invalid('Урок и так стоит здесь', [{ field: 'date', message: 'nothing to change' }]);

      let bell: BellPeriod | null = null;
      let termId = lesson.termId;
      if (!sameSlot) {
        const problems = new Validator();
        problems.check(isoWeekday(date!) !== 7, 'date', 'В воскресенье уроков нет');
        const [holiday] = await query<{ name: string }>(
          em,
          `select name from schedule.holiday where academic_year_id = ? and ?::date between start_date and end_date order by start_date limit 1`,
          [assignment.academicYearId, date],
        );
        problems.check(!holiday, 'date', `${date} — ${holiday?.name ?? 'каникулы'}: уроков нет`);
        bell = await em.findOne(BellPeriod, { shift: lesson.shift, number: period! });
        problems.check(!!bell, 'period', `В расписании звонков нет урока № ${period}`);
        const term = await this.termOn(em, assignment, date!);
        problems.check(!!term, 'date', `${date} не входит ни в один учебный период этого класса`);
        problems.done();
        if (term!.closedAt) throw DomainError.conflict(`Период «${term!.name}» закрыт: переносить в него нельзя`);
        termId = term!.id;
        await lockFor(em, 'class_group', assignment.classGroupId);
      }
      const teacherStaffId = lesson.substituteStaffId ?? assignment.teacherStaffId;
      await lockFor(em, 'staff', teacherStaffId);
      await this.refuseOccupied(em, lesson, assignment, { date: date!, period: period!, teacherStaffId, room: newRoom, classToo: !sameSlot });

      if (bell) {
        lesson.date = date!;
        lesson.period = period!;
        lesson.startTime = bell.startTime;
        lesson.endTime = bell.endTime;
        lesson.termId = termId;
      }
      lesson.room = newRoom;
      return sameSlot ? 'ROOM' : 'MOVED';
    });
  }

  /** The term a class's lesson on `date` belongs to. */
  private async termOn(em: EntityManager, assignment: TeachingAssignment, date: string): Promise<Term | null> {
    const [group] = await new PeopleFacts(em).classGroups([assignment.classGroupId]);
    if (!group) return null;
    return em.findOne(Term, {
      academicYearId: assignment.academicYearId,
      startDate: { $lte: date },
      endDate: { $gte: date },
      yearsFrom: { $lte: group.yearOfStudy },
      yearsTo: { $gte: group.yearOfStudy },
    });
  }

  /**
   * CONFLICT when the slot is taken: by this assignment's own lesson there, by
   * another lesson of the class (unless both are disjoint groups), by the
   * teacher's other lesson, or by another lesson in the room.
   */
  private async refuseOccupied(
    em: EntityManager,
    lesson: Lesson,
    assignment: TeachingAssignment,
    slot: { date: string; period: number; teacherStaffId: number; room: string | null; classToo: boolean },
  ): Promise<void> {
    const occupants = await query<Occupant>(
      em,
      `select l.id, l.teaching_assignment_id as "teachingAssignmentId", l.status, l.room,
              coalesce(l.substitute_staff_id, ta.teacher_staff_id) as "teacherStaffId", ta.class_group_id as "classGroupId", ta.group_name as "groupName"
       from schedule.lesson l join schedule.teaching_assignment ta on ta.id = l.teaching_assignment_id
       where l.date = ?::date and l.period = ? and l.shift = ? and l.id <> ?`,
      [slot.date, slot.period, lesson.shift, lesson.id],
    );
    const where = `${slot.date}, ${slot.period} урок`;
    for (const other of occupants) {
      if (slot.classToo && other.teachingAssignmentId === assignment.id) throw DomainError.conflict(`Этот урок уже есть в расписании: ${where}`);
      if (other.status !== 'SCHEDULED') continue;
      if (slot.classToo && other.classGroupId === assignment.classGroupId) {
        if (!(await groupsMayShareSlot(em, assignment, { id: other.teachingAssignmentId, groupName: other.groupName }))) {
          throw DomainError.conflict(`У класса уже есть урок: ${where}`);
        }
      }
      if (other.teacherStaffId === slot.teacherStaffId) throw DomainError.conflict(`Учитель уже ведёт другой урок: ${where}`);
      if (slot.room && other.room === slot.room) throw DomainError.conflict(`Кабинет ${slot.room} занят: ${where}`);
    }
  }

  private async edit(
    lessonId: string,
    version: number,
    reason: string,
    change: (em: EntityManager, lesson: Lesson, assignment: TeachingAssignment) => Promise<LessonChangeKind>,
  ): Promise<Lesson> {
    const { localId } = parseGlobalId(lessonId, 'Lesson', this.ctx.schoolId);
    return this.ctx.em.transactional(async (em) => {
      const lesson = await findForEdit(em, Lesson, { id: localId }, version, 'Урок', lessonId);
      const assignment = await em.findOneOrFail(TeachingAssignment, { id: lesson.teachingAssignmentId });
      const term = await em.findOneOrFail(Term, { id: lesson.termId });
      if (term.closedAt) throw DomainError.conflict(`Период «${term.name}» закрыт: уроки в нём не меняются`);
      const before = snapshotOf(lesson);
      const kind = await change(em, lesson, assignment);
      em.create(LessonChange, { lessonId: lesson.id, kind, oldValue: before, newValue: snapshotOf(lesson), reason, changedBy: actorOf(this.ctx) });
      await flushExplained(em, 'Это место в расписании уже занято');
      return lesson;
    });
  }
}

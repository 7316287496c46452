import { DomainError, flushExplained, parseGlobalId, Validator } from '@district/kit';
import { accessOf } from '../access';
import { groupsMayShareSlot } from '../assignments/teaching-assignment.service';
import { TeachingAssignment } from '../assignments/teaching-assignment.entity';
import { BellPeriod } from '../bells/bell-period.entity';
import { DATE_RANGE } from '../dates';
import { validId } from '../ids';
import type { ScheduleContext } from '../context';
import { lockFor, query } from '../sql';
import { AcademicYear } from '../years/year.entity';
import { TimetableEntry } from './timetable-entry.entity';
import type { TimetableEntryInput } from './timetable-entry.inputs';

const WEEKDAYS = ['', 'понедельник', 'вторник', 'среда', 'четверг', 'пятница', 'суббота'];

export class TimetableEntryService {
  constructor(private readonly ctx: ScheduleContext) {}

  async list(classGroupId?: string | null, teacherId?: string | null): Promise<TimetableEntry[]> {
    accessOf(this.ctx).requireWholeSchool();
    const where: Record<string, unknown> = {};
    if (classGroupId || teacherId) {
      const assignments = await this.ctx.em.find(TeachingAssignment, {
        ...(classGroupId ? { classGroupId: parseGlobalId(classGroupId, 'ClassGroup', this.ctx.schoolId).localId } : {}),
        ...(teacherId ? { teacherStaffId: parseGlobalId(teacherId, 'Staff', this.ctx.schoolId).localId } : {}),
      });
      where.teachingAssignmentId = { $in: assignments.map((a) => a.id) };
    }
    return this.ctx.em.find(TimetableEntry, where, { orderBy: { weekday: 'asc', shift: 'asc', period: 'asc', id: 'asc' } });
  }

  async create(input: TimetableEntryInput): Promise<TimetableEntry> {
    accessOf(this.ctx).requireAdmin();
    const v = new Validator();
    const assignmentId = validId(v, 'assignmentId', input.assignmentId, 'TeachingAssignment', this.ctx.schoolId, 'Нагрузка');
    const weekday = v.int('weekday', input.weekday, { min: 1, max: 6, label: 'День недели (1 Пн … 6 Сб)' });
    const period = v.int('period', input.period, { min: 1, max: 8, label: 'Номер урока' });
    const shift = v.int('shift', input.shift, { min: 1, max: 3, label: 'Смена' });
    const room = v.text('room', input.room, { required: false, max: 20, label: 'Кабинет' }) ?? null;
    const validFrom = v.date('validFrom', input.validFrom, { required: false, label: 'Действует с', ...DATE_RANGE });
    const validTo = v.date('validTo', input.validTo, { required: false, label: 'Действует по', ...DATE_RANGE });
    if (validFrom && validTo) v.check(validFrom <= validTo, 'validTo', '«Действует по» раньше, чем «действует с»');
    v.done();

    return this.ctx.em.transactional(async (em) => {
      const assignment = await em.findOne(TeachingAssignment, { id: assignmentId! });
      if (!assignment) throw DomainError.notFound('Нагрузка', input.assignmentId);
      const year = (await em.findOne(AcademicYear, { id: assignment.academicYearId }))!;
      const from = validFrom ?? year.startDate;
      const problems = new Validator();
      problems.check(
        !!(await em.findOne(BellPeriod, { shift: shift!, number: period! })),
        'period',
        `В расписании звонков нет урока № ${period} (${shift} смена)`,
      );
      problems.check(from >= year.startDate && (validTo ?? year.endDate) <= year.endDate, 'validFrom', `Даты должны лежать внутри учебного года ${year.name}`);
      problems.done();

      await lockFor(em, 'class_group', assignment.classGroupId);
      await lockFor(em, 'staff', assignment.teacherStaffId);
      const clashes = await query<{ id: number; teachingAssignmentId: number; classGroupId: number; teacherStaffId: number; groupName: string | null }>(
        em,
        `select te.id, te.teaching_assignment_id as "teachingAssignmentId", ta.class_group_id as "classGroupId",
                ta.teacher_staff_id as "teacherStaffId", ta.group_name as "groupName"
         from schedule.timetable_entry te join schedule.teaching_assignment ta on ta.id = te.teaching_assignment_id
         where te.weekday = ? and te.period = ? and te.shift = ? and ta.academic_year_id = ?
           and (ta.class_group_id = ? or ta.teacher_staff_id = ?)
           and te.valid_from <= ?::date and (te.valid_to is null or te.valid_to >= ?::date)`,
        [weekday, period, shift, year.id, assignment.classGroupId, assignment.teacherStaffId, validTo ?? year.endDate, from],
      );
      const slot = `${WEEKDAYS[weekday!]}, ${period} урок`;
      for (const clash of clashes) {
        if (clash.teachingAssignmentId === assignment.id) throw DomainError.duplicate(`Этот урок уже стоит в расписании: ${slot}`);
        if (clash.teacherStaffId === assignment.teacherStaffId) throw DomainError.conflict(`Учитель уже ведёт другой урок: ${slot}`);
        if (!(await groupsMayShareSlot(em, assignment, { id: clash.teachingAssignmentId, groupName: clash.groupName }))) {
          throw DomainError.conflict(`У класса уже есть урок: ${slot}`);
        }
      }
      const entry = em.create(TimetableEntry, {
        teachingAssignmentId: assignment.id,
        weekday: weekday!,
        period: period!,
        shift,
        room,
        validFrom: from,
        validTo: validTo ?? null,
      });
      await flushExplained(em, `Этот урок уже стоит в расписании: ${slot}`);
      return entry;
    });
  }
}

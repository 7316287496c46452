import { DomainError, flushExplained, parseGlobalId, Validator } from '@district/kit';
import { accessOf } from '../access';
import { validId } from '../ids';
import type { ScheduleContext } from '../context';
import { PeopleFacts } from '../people-facts';
import { query } from '../sql';
import { Subject } from '../subjects/subject.entity';
import { AcademicYear } from '../years/year.entity';
import { AssignmentStudent, TeachingAssignment } from './teaching-assignment.entity';
import type { TeachingAssignmentFilter, TeachingAssignmentInput } from './teaching-assignment.inputs';

export class TeachingAssignmentService {
  constructor(private readonly ctx: ScheduleContext) {}

  async list(filter: TeachingAssignmentFilter): Promise<TeachingAssignment[]> {
    accessOf(this.ctx).requireWholeSchool();
    const where: Record<string, unknown> = {};
    if (filter.classGroupId) where.classGroupId = parseGlobalId(filter.classGroupId, 'ClassGroup', this.ctx.schoolId).localId;
    if (filter.teacherId) where.teacherStaffId = parseGlobalId(filter.teacherId, 'Staff', this.ctx.schoolId).localId;
    if (filter.academicYear) {
      const year = await this.ctx.em.findOne(AcademicYear, { name: filter.academicYear });
      if (!year) return [];
      where.academicYearId = year.id;
    }
    return this.ctx.em.find(TeachingAssignment, where, { orderBy: { classGroupId: 'asc', subjectId: 'asc', groupName: 'asc', id: 'asc' } });
  }

  async create(input: TeachingAssignmentInput): Promise<TeachingAssignment> {
    accessOf(this.ctx).requireAdmin();
    const { schoolId } = this.ctx;
    const v = new Validator();
    const yearId = validId(v, 'academicYearId', input.academicYearId, 'AcademicYear', schoolId, 'Учебный год');
    const classGroupId = validId(v, 'classGroupId', input.classGroupId, 'ClassGroup', schoolId, 'Класс');
    const subjectId = validId(v, 'subjectId', input.subjectId, 'Subject', schoolId, 'Предмет');
    const teacherId = validId(v, 'teacherId', input.teacherId, 'Staff', schoolId, 'Учитель');
    const groupName = v.text('groupName', input.groupName, { required: false, max: 50, label: 'Группа' }) ?? null;
    const studentIds = [...new Set((input.studentIds ?? []).map((id, i) => validId(v, `studentIds.${i}`, id, 'Student', schoolId, 'Ученик')))];
    if (groupName) v.check(studentIds.length > 0, 'studentIds', 'Группа: укажите её учеников');
    else v.check(studentIds.length === 0, 'studentIds', 'Учеников указывают только для группы (нужно название группы)');
    v.done();
    const students = studentIds as number[];

    return this.ctx.em.transactional(async (em) => {
      const facts = new PeopleFacts(em);
      const year = await em.findOne(AcademicYear, { id: yearId! });
      if (!year) throw DomainError.notFound('Учебный год', input.academicYearId);
      if (!(await em.findOne(Subject, { id: subjectId! }))) throw DomainError.notFound('Предмет', input.subjectId);
      const [teacher] = await facts.staff([teacherId!]);
      if (!teacher) throw DomainError.notFound('Сотрудник', input.teacherId);
      const [group] = await facts.classGroups([classGroupId!]);
      if (!group) throw DomainError.notFound('Класс', input.classGroupId);

      const problems = new Validator();
      problems.check(teacher.active, 'teacherId', `${teacher.fullName} не работает в школе`);
      problems.check(
        group.academicYear === year.name,
        'classGroupId',
        `Класс ${group.name} относится к ${group.academicYear}, а не к ${year.name} учебному году`,
      );
      const enrolled = await facts.enrolledBetween(group.classGroupId, students, year.startDate, year.endDate);
      students.forEach((id, i) => problems.check(enrolled.has(id), `studentIds.${i}`, `Ученик ${input.studentIds![i]} не учится в классе ${group.name}`));
      problems.done();

      const message = `У класса ${group.name} этот предмет${groupName ? ` в группе «${groupName}»` : ''} уже назначен`;
      const twin = await em.findOne(TeachingAssignment, { academicYearId: year.id, classGroupId: group.classGroupId, subjectId: subjectId!, groupName });
      if (twin) throw DomainError.duplicate(message);
      const assignment = em.create(TeachingAssignment, {
        academicYearId: year.id,
        classGroupId: group.classGroupId,
        subjectId: subjectId!,
        teacherStaffId: teacher.staffId,
        groupName,
        graded: input.graded ?? null,
      });
      await flushExplained(em, message);
      for (const studentId of students) em.create(AssignmentStudent, { teachingAssignmentId: assignment.id, studentId });
      await em.flush();
      return assignment;
    });
  }
}

/**
 * Two lessons of one class may share a slot only when both are split-class
 * groups with no student in common (e.g. English group 1 and group 2).
 */
export async function groupsMayShareSlot(
  em: ScheduleContext['em'],
  a: { id: number; groupName?: string | null },
  b: { id: number; groupName?: string | null },
): Promise<boolean> {
  if (!a.groupName || !b.groupName || a.id === b.id) return false;
  const [row] = await query<{ n: string }>(
    em,
    `select count(*) as n from schedule.assignment_student x join schedule.assignment_student y on y.student_id = x.student_id
     where x.teaching_assignment_id = ? and y.teaching_assignment_id = ?`,
    [a.id, b.id],
  );
  return Number(row!.n) === 0;
}

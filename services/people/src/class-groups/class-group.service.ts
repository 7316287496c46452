import { LockMode } from '@mikro-orm/core';
import { DomainError, findForEdit, flushExplained, parseGlobalId, Validator } from '@district/kit';
import { accessOf } from '../access';
import type { PeopleContext } from '../context';
import { Staff } from '../staff/staff.entity';
import { Student } from '../students/student.entity';
import { ClassGroup, Enrollment } from './class-group.entity';
import type { ClassGroupInput } from './class-group.inputs';

const CLASS_NAME = /^(1[01]|[1-9])([А-ЯЁ])$/;
const ACADEMIC_YEAR = /^(\d{4})\/(\d{4})$/;

/** "5А" → year 5; null when the name is not a class name. */
export function parseClassName(name: string): { yearOfStudy: number; name: string } | null {
  const m = CLASS_NAME.exec(name.trim().toUpperCase());
  return m ? { yearOfStudy: Number(m[1]), name: `${m[1]}${m[2]}` } : null;
}

export function validAcademicYear(v: Validator, value: string): string {
  const year = v.text('academicYear', value, { max: 9, pattern: ACADEMIC_YEAR, label: 'Учебный год' });
  const m = year ? ACADEMIC_YEAR.exec(year) : null;
  if (year && m) v.check(Number(m[2]) === Number(m[1]) + 1, 'academicYear', 'Учебный год: вида 2026/2027');
  return year ?? '';
}

/** The academic year a date falls in (it starts on 1 September). */
export function academicYearOf(date: Date): string {
  const y = date.getUTCFullYear();
  const start = date.getUTCMonth() >= 8 ? y : y - 1;
  return `${start}/${start + 1}`;
}

export class ClassGroupService {
  constructor(private readonly ctx: PeopleContext) {}

  /** Class groups name no student: anyone of the school and the district's admins and analysts (students inside are filtered). */
  list(academicYear?: string | null): Promise<ClassGroup[]> {
    accessOf(this.ctx).requireDirectory();
    return this.ctx.em.find(ClassGroup, academicYear ? { academicYear } : {}, { orderBy: { academicYear: 'desc', yearOfStudy: 'asc', name: 'asc' } });
  }

  /**
   * The class groups the signed-in staff member leads as class teacher
   * (классный руководитель), latest academic year first; none for anyone else.
   */
  async ledByMe(): Promise<ClassGroup[]> {
    const access = accessOf(this.ctx);
    access.requireDirectory();
    const personId = access.personId;
    if (!access.isStaff || !personId) return [];
    const staff = await this.ctx.em.find(Staff, { personId, active: true }, { fields: ['id'] });
    if (staff.length === 0) return [];
    return this.ctx.em.find(
      ClassGroup,
      { classTeacherId: { $in: staff.map((s) => s.id) } },
      { orderBy: { academicYear: 'desc', yearOfStudy: 'asc', name: 'asc' } },
    );
  }

  async get(id: string): Promise<ClassGroup | null> {
    accessOf(this.ctx).requireDirectory();
    const { localId } = parseGlobalId(id, 'ClassGroup', this.ctx.schoolId);
    return (await this.ctx.loaders.classGroup.load(localId)) ?? null;
  }

  private async valid(input: ClassGroupInput) {
    const v = new Validator();
    const parsed = parseClassName(input.name ?? '');
    v.check(parsed !== null, 'name', `Класс: вида «5А» (год обучения 1–11 и буква), получено «${input.name}»`);
    const academicYear = validAcademicYear(v, input.academicYear);
    let classTeacherId: number | null = null;
    if (input.classTeacherId) {
      try {
        classTeacherId = parseGlobalId(input.classTeacherId, 'Staff', this.ctx.schoolId).localId;
      } catch {
        v.check(false, 'classTeacherId', 'Классный руководитель: неверный идентификатор');
      }
    }
    v.done();
    if (classTeacherId !== null && !(await this.ctx.em.findOne(Staff, { id: classTeacherId }))) throw DomainError.notFound('Сотрудник', input.classTeacherId!);
    return { name: parsed!.name, yearOfStudy: parsed!.yearOfStudy, academicYear, classTeacherId };
  }

  async create(input: ClassGroupInput): Promise<ClassGroup> {
    accessOf(this.ctx).requireAdmin();
    const data = await this.valid(input);
    return this.ctx.em.transactional(async (em) => {
      if (await em.findOne(ClassGroup, { academicYear: data.academicYear, name: data.name })) {
        throw DomainError.duplicate(`Класс ${data.name} в ${data.academicYear} учебном году уже есть`);
      }
      const group = em.create(ClassGroup, data);
      await flushExplained(em, `Класс ${data.name} в ${data.academicYear} учебном году уже есть`);
      return group;
    });
  }

  async update(id: string, version: number, input: ClassGroupInput): Promise<ClassGroup> {
    accessOf(this.ctx).requireAdmin();
    const { localId } = parseGlobalId(id, 'ClassGroup', this.ctx.schoolId);
    const data = await this.valid(input);
    return this.ctx.em.transactional(async (em) => {
      const group = await findForEdit(em, ClassGroup, { id: localId }, version, 'Класс', id);
      em.assign(group, data);
      await flushExplained(em, `Класс ${data.name} в ${data.academicYear} учебном году уже есть`);
      return group;
    });
  }

  /** Moves a student into a class group from a date, ending any current enrollment the day before. */
  async enroll(studentId: string, classGroupId: string, startDate: string): Promise<Enrollment> {
    accessOf(this.ctx).requireAdmin();
    const student = parseGlobalId(studentId, 'Student', this.ctx.schoolId);
    const group = parseGlobalId(classGroupId, 'ClassGroup', this.ctx.schoolId);
    const v = new Validator();
    const start = v.date('startDate', startDate, { label: 'Дата зачисления', min: '2000-01-01', max: '2100-01-01' });
    v.done();
    return this.ctx.em.transactional(async (em) => {
      if (!(await em.findOne(Student, { id: student.localId }))) throw DomainError.notFound('Обучающийся', studentId);
      if (!(await em.findOne(ClassGroup, { id: group.localId }))) throw DomainError.notFound('Класс', classGroupId);
      const current = await em.findOne(Enrollment, { studentId: student.localId, endDate: null }, { lockMode: LockMode.PESSIMISTIC_WRITE });
      if (current) {
        if (current.classGroupId === group.localId) throw DomainError.duplicate('Обучающийся уже зачислен в этот класс');
        if (current.startDate >= start!)
          throw DomainError.invalid('Дата зачисления раньше начала текущего зачисления', [{ field: 'startDate', message: 'too early' }]);
        current.endDate = dayBefore(start!);
        await em.flush();
      }
      const enrollment = em.create(Enrollment, { studentId: student.localId, classGroupId: group.localId, startDate: start!, endDate: null });
      await flushExplained(em, 'Обучающийся уже зачислен в класс');
      return enrollment;
    });
  }

  async endEnrollment(id: string, endDate: string): Promise<Enrollment> {
    accessOf(this.ctx).requireAdmin();
    const { localId } = parseGlobalId(id, 'Enrollment', this.ctx.schoolId);
    const v = new Validator();
    const end = v.date('endDate', endDate, { label: 'Дата выбытия', min: '2000-01-01', max: '2100-01-01' });
    v.done();
    return this.ctx.em.transactional(async (em) => {
      const enrollment = await em.findOne(Enrollment, { id: localId });
      if (!enrollment) throw DomainError.notFound('Зачисление', id);
      if (enrollment.endDate) throw DomainError.conflict('Зачисление уже завершено', { endDate: enrollment.endDate });
      if (end! < enrollment.startDate) throw DomainError.invalid('Дата выбытия раньше даты зачисления', [{ field: 'endDate', message: 'before start' }]);
      enrollment.endDate = end!;
      await em.flush();
      return enrollment;
    });
  }
}

function dayBefore(iso: string): string {
  const d = new Date(`${iso}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() - 1);
  return d.toISOString().slice(0, 10);
}

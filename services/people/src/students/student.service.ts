import { raw } from '@mikro-orm/core';
import { DomainError, findForEdit, flushExplained, parseGlobalId, Validator } from '@district/kit';
import { accessOf } from '../access';
import { Enrollment } from '../class-groups/class-group.entity';
import type { PeopleContext } from '../context';
import { bySurname, validIdentityKey, validName, validPersonId } from '../names';
import { Student } from './student.entity';
import type { StudentInput } from './student.inputs';

export interface StudentFilter {
  classGroupId?: string | null;
  search?: string | null;
  limit: number;
  offset: number;
}

const today = () => new Date().toISOString().slice(0, 10);

export function validStudent(v: Validator, input: StudentInput, identityKeySecret: string) {
  return {
    ...validIdentityKey(v, 'snils', input.snils, identityKeySecret),
    ...validName(v, input),
    birthDate: v.date('birthDate', input.birthDate, { label: 'Дата рождения', min: '1990-01-01', max: today() }) ?? '',
    // Omitted: kept as it is (identity gives person ids; an edit form that does not show them must not erase them); null erases it.
    ...(input.personId === undefined ? {} : { personId: validPersonId(v, input.personId) }),
  };
}

export class StudentService {
  constructor(private readonly ctx: PeopleContext) {}

  async list(filter: StudentFilter): Promise<Student[]> {
    const access = accessOf(this.ctx);
    access.requireStudentList();
    const v = new Validator();
    v.int('limit', filter.limit, { min: 1, max: 1000 });
    v.int('offset', filter.offset, { min: 0, max: 1_000_000 });
    v.done();
    const where: Record<string, unknown> = {};
    // A district admin lists only the students whose personal data they opened; the staff, the roster.
    if (!access.isStaff) {
      const opened = await access.personalStudentIds();
      if (opened.length === 0) return [];
      where.$and = [{ id: { $in: opened } }];
    }
    if (filter.classGroupId) {
      const { localId } = parseGlobalId(filter.classGroupId, 'ClassGroup', this.ctx.schoolId);
      const enrolled = await this.ctx.em.find(Enrollment, { classGroupId: localId, endDate: null }, { fields: ['studentId'] });
      where.id = { $in: enrolled.map((e) => e.studentId) };
    }
    if (filter.search?.trim()) where.lastName = { $ilike: `${filter.search.trim().replace(/[%_\\]/g, '\\$&')}%` };
    return this.ctx.em.find(Student, where, { orderBy: bySurname<Student>(), limit: filter.limit, offset: filter.offset });
  }

  async get(id: string): Promise<Student | null> {
    const { localId } = parseGlobalId(id, 'Student', this.ctx.schoolId);
    const access = accessOf(this.ctx);
    if (!(await access.canSeeStudent(localId))) throw access.refusePersonalData();
    return (await this.ctx.loaders.student.load(localId)) ?? null;
  }

  /** A parent's children in this school, sorted by surname. */
  async children(): Promise<Student[]> {
    const ids = await accessOf(this.ctx).children();
    if (ids.size === 0) return [];
    return this.ctx.em.find(Student, { id: { $in: [...ids] } }, { orderBy: bySurname<Student>() });
  }

  /** The signed-in student's own record (null for anyone else, or in a school they do not attend). */
  async self(): Promise<Student | null> {
    const id = await accessOf(this.ctx).selfId();
    return id === undefined ? null : this.ctx.em.findOne(Student, { id });
  }

  async create(input: StudentInput): Promise<Student> {
    accessOf(this.ctx).requireAdmin();
    const v = new Validator();
    const data = validStudent(v, input, this.ctx.loaders.settings.identityKeySecret);
    v.done();
    return this.ctx.em.transactional(async (em) => {
      await refuseTwin(em, data);
      const student = em.create(Student, data);
      await flushExplained(em, 'Этот person_id уже привязан к другому обучающемуся');
      return student;
    });
  }

  async update(id: string, version: number, input: StudentInput): Promise<Student> {
    accessOf(this.ctx).requireAdmin();
    const { localId } = parseGlobalId(id, 'Student', this.ctx.schoolId);
    const v = new Validator();
    const data = validStudent(v, input, this.ctx.loaders.settings.identityKeySecret);
    v.done();
    return this.ctx.em.transactional(async (em) => {
      const student = await findForEdit(em, Student, { id: localId }, version, 'Обучающийся', id);
      await refuseTwin(em, data, localId);
      em.assign(student, data);
      await flushExplained(em, 'Этот person_id уже привязан к другому обучающемуся');
      return student;
    });
  }
}

/** The same person twice (name and birth date, letter case aside) is refused as DUPLICATE. */
async function refuseTwin(
  em: PeopleContext['em'],
  data: { lastName: string; firstName: string; middleName: string | null; birthDate: string },
  exceptId?: number,
): Promise<void> {
  const lower = (column: string) => raw((alias: string) => `lower(${alias}.${column})`);
  const twin = await em.findOne(Student, {
    [lower('last_name')]: data.lastName.toLowerCase(),
    [lower('first_name')]: data.firstName.toLowerCase(),
    [raw((alias: string) => `lower(coalesce(${alias}.middle_name, ''))`)]: (data.middleName ?? '').toLowerCase(),
    birthDate: data.birthDate,
    ...(exceptId === undefined ? {} : { id: { $ne: exceptId } }),
  });
  if (twin) throw DomainError.duplicate(`Обучающийся ${data.lastName} ${data.firstName} с датой рождения ${data.birthDate} уже есть`);
}

import { OptimisticLockError, UniqueConstraintViolationException } from '@mikro-orm/core';
import { DomainError, parseGlobalId, Validator } from '@district/kit';
import { accessOf } from '../access';
import { Enrollment } from '../class-groups/class-group.entity';
import type { PeopleContext } from '../loaders';
import { bySurname, validName, validPersonId } from '../names';
import { Student } from './student.entity';
import type { StudentInput } from './student.inputs';

export interface StudentFilter {
  classGroupId?: string | null;
  search?: string | null;
  limit: number;
  offset: number;
}

const today = () => new Date().toISOString().slice(0, 10);

export function validStudent(v: Validator, input: StudentInput) {
  return {
    ...validName(v, input),
    birthDate: v.date('birthDate', input.birthDate, { label: 'Дата рождения', min: '1990-01-01', max: today() }) ?? '',
    personId: validPersonId(v, input.personId),
  };
}

export class StudentService {
  constructor(private readonly ctx: PeopleContext) {}

  async list(filter: StudentFilter): Promise<Student[]> {
    accessOf(this.ctx).requireWholeSchool();
    const v = new Validator();
    v.int('limit', filter.limit, { min: 1, max: 1000 });
    v.int('offset', filter.offset, { min: 0, max: 1_000_000 });
    v.done();
    const where: Record<string, unknown> = {};
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
    if (!(await accessOf(this.ctx).canSeeStudent(localId))) throw DomainError.forbidden('Нет доступа к данным этого обучающегося');
    return (await this.ctx.loaders.student.load(localId)) ?? null;
  }

  /** A parent's children in this school, sorted by surname. */
  async children(): Promise<Student[]> {
    const ids = await accessOf(this.ctx).children();
    if (ids.size === 0) return [];
    return this.ctx.em.find(Student, { id: { $in: [...ids] } }, { orderBy: bySurname<Student>() });
  }

  async create(input: StudentInput): Promise<Student> {
    accessOf(this.ctx).requireAdmin();
    const v = new Validator();
    const data = validStudent(v, input);
    v.done();
    return this.ctx.em.transactional(async (em) => {
      const twin = await em.findOne(Student, { lastName: data.lastName, firstName: data.firstName, middleName: data.middleName, birthDate: data.birthDate });
      if (twin) throw DomainError.duplicate(`Обучающийся ${data.lastName} ${data.firstName} с датой рождения ${data.birthDate} уже есть`);
      const student = em.create(Student, data as never);
      await flushUnique(em, 'Этот person_id уже привязан к другому обучающемуся');
      return student;
    });
  }

  async update(id: string, version: number, input: StudentInput): Promise<Student> {
    accessOf(this.ctx).requireAdmin();
    const { localId } = parseGlobalId(id, 'Student', this.ctx.schoolId);
    const v = new Validator();
    const data = validStudent(v, input);
    v.done();
    return this.ctx.em.transactional(async (em) => {
      const student = await em.findOne(Student, { id: localId });
      if (!student) throw DomainError.notFound('Обучающийся', id);
      if (student.version !== version) throw DomainError.conflict('Данные изменены другим пользователем; обновите страницу', { version: student.version });
      em.assign(student, data);
      await flushUnique(em, 'Этот person_id уже привязан к другому обучающемуся');
      return student;
    });
  }
}

/** Flushes, turning a unique-constraint violation into a DUPLICATE error. */
export async function flushUnique(em: PeopleContext['em'], message: string): Promise<void> {
  try {
    await em.flush();
  } catch (error) {
    if (error instanceof UniqueConstraintViolationException) throw DomainError.duplicate(message);
    if (error instanceof OptimisticLockError) throw DomainError.conflict('Данные изменены другим пользователем; обновите страницу');
    throw error;
  }
}

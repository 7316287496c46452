import { DomainError, findForEdit, flushExplained, parseGlobalId, Validator } from '@district/kit';
import { accessOf } from '../access';
import type { PeopleContext } from '../context';
import { bySurname, validIdentityKey, validName, validPersonId } from '../names';
import { Student } from '../students/student.entity';
import { Guardian, Guardianship, type GuardianRelation } from './guardian.entity';
import type { GuardianInput } from './guardian.inputs';

export const RELATIONS: GuardianRelation[] = ['mother', 'father', 'guardian', 'other'];

export function validGuardian(v: Validator, input: GuardianInput, prefix: string, identityKeySecret: string) {
  return {
    ...validIdentityKey(v, `${prefix}snils`, input.snils, identityKeySecret),
    ...validName(v, input, prefix),
    phone: v.phone(`${prefix}phone`, input.phone) ?? null,
    email: v.email(`${prefix}email`, input.email) ?? null,
    // Omitted: kept as it is (identity gives person ids; an edit form that does not show them must not erase them); null erases it.
    ...(input.personId === undefined ? {} : { personId: validPersonId(v, input.personId) }),
  };
}

export class GuardianService {
  constructor(private readonly ctx: PeopleContext) {}

  /** Every guardian for the school's deputies and director; for a teacher or a district admin, the guardians of the students whose personal data they read. */
  async list(): Promise<Guardian[]> {
    const access = accessOf(this.ctx);
    access.requireGuardianList();
    if (access.isLeader) return this.ctx.em.find(Guardian, {}, { orderBy: bySurname<Guardian>() });
    const students = await access.personalStudentIds();
    if (students.length === 0) return [];
    const links = await this.ctx.em.find(Guardianship, { studentId: { $in: students } }, { fields: ['guardianId'] });
    if (links.length === 0) return [];
    return this.ctx.em.find(Guardian, { id: { $in: [...new Set(links.map((l) => l.guardianId))] } }, { orderBy: bySurname<Guardian>() });
  }

  async create(input: GuardianInput): Promise<Guardian> {
    accessOf(this.ctx).requireAdmin();
    const v = new Validator();
    const data = validGuardian(v, input, '', this.ctx.loaders.settings.identityKeySecret);
    v.done();
    return this.ctx.em.transactional(async (em) => {
      const guardian = em.create(Guardian, data);
      await flushExplained(em, 'Этот person_id уже привязан к другому представителю');
      return guardian;
    });
  }

  async update(id: string, version: number, input: GuardianInput): Promise<Guardian> {
    accessOf(this.ctx).requireAdmin();
    const { localId } = parseGlobalId(id, 'Guardian', this.ctx.schoolId);
    const v = new Validator();
    const data = validGuardian(v, input, '', this.ctx.loaders.settings.identityKeySecret);
    v.done();
    return this.ctx.em.transactional(async (em) => {
      const guardian = await findForEdit(em, Guardian, { id: localId }, version, 'Представитель', id);
      em.assign(guardian, data);
      await flushExplained(em, 'Этот person_id уже привязан к другому представителю');
      return guardian;
    });
  }

  async link(studentId: string, guardianId: string, relation: string): Promise<Guardianship> {
    accessOf(this.ctx).requireAdmin();
    const student = parseGlobalId(studentId, 'Student', this.ctx.schoolId);
    const guardian = parseGlobalId(guardianId, 'Guardian', this.ctx.schoolId);
    if (!RELATIONS.includes(relation as GuardianRelation))
      throw DomainError.invalid(`Степень родства: одно из ${RELATIONS.join(', ')}`, [{ field: 'relation', message: 'invalid relation' }]);
    return this.ctx.em.transactional(async (em) => {
      if (!(await em.findOne(Student, { id: student.localId }))) throw DomainError.notFound('Обучающийся', studentId);
      if (!(await em.findOne(Guardian, { id: guardian.localId }))) throw DomainError.notFound('Представитель', guardianId);
      if (await em.findOne(Guardianship, { studentId: student.localId, guardianId: guardian.localId }))
        throw DomainError.duplicate('Этот представитель уже связан с обучающимся');
      const link = em.create(Guardianship, { studentId: student.localId, guardianId: guardian.localId, relation: relation as GuardianRelation });
      await flushExplained(em, 'Этот представитель уже связан с обучающимся');
      return link;
    });
  }
}

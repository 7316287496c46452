import { DomainError, parseGlobalId, Validator } from '@district/kit';
import { accessOf } from '../access';
import type { PeopleContext } from '../loaders';
import { bySurname, validName, validPersonId } from '../names';
import { flushUnique } from '../students/student.service';
import { Staff } from './staff.entity';
import type { StaffInput } from './staff.inputs';

function validStaff(input: StaffInput) {
  const v = new Validator();
  const data = {
    ...validName(v, input),
    position: v.text('position', input.position, { max: 200, label: 'Должность' }) ?? '',
    email: v.email('email', input.email) ?? null,
    active: input.active ?? true,
    personId: validPersonId(v, input.personId),
  };
  v.done();
  return data;
}

export class StaffService {
  constructor(private readonly ctx: PeopleContext) {}

  list(): Promise<Staff[]> {
    accessOf(this.ctx).requireWholeSchool();
    return this.ctx.em.find(Staff, {}, { orderBy: bySurname<Staff>() });
  }

  async create(input: StaffInput): Promise<Staff> {
    accessOf(this.ctx).requireAdmin();
    const data = validStaff(input);
    return this.ctx.em.transactional(async (em) => {
      const staff = em.create(Staff, data as never);
      await flushUnique(em, 'Этот person_id уже привязан к другому сотруднику');
      return staff;
    });
  }

  async update(id: string, version: number, input: StaffInput): Promise<Staff> {
    accessOf(this.ctx).requireAdmin();
    const { localId } = parseGlobalId(id, 'Staff', this.ctx.schoolId);
    const data = validStaff(input);
    return this.ctx.em.transactional(async (em) => {
      const staff = await em.findOne(Staff, { id: localId });
      if (!staff) throw DomainError.notFound('Сотрудник', id);
      if (staff.version !== version) throw DomainError.conflict('Данные изменены другим пользователем; обновите страницу', { version: staff.version });
      em.assign(staff, data);
      await flushUnique(em, 'Этот person_id уже привязан к другому сотруднику');
      return staff;
    });
  }
}

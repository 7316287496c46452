import { findForEdit, flushExplained, parseGlobalId, Validator } from '@district/kit';
import { accessOf } from '../access';
import type { PeopleContext } from '../context';
import { bySurname, validName, validPersonId } from '../names';
import { Staff } from './staff.entity';
import type { StaffInput } from './staff.inputs';

function validStaff(input: StaffInput) {
  const v = new Validator();
  const data = {
    ...validName(v, input),
    position: v.text('position', input.position, { max: 200, label: 'Должность' }) ?? '',
    email: v.email('email', input.email) ?? null,
    active: input.active ?? true,
    // Omitted: kept as it is (identity gives person ids; an edit form that does not show them must not erase them); null erases it.
    ...(input.personId === undefined ? {} : { personId: validPersonId(v, input.personId) }),
  };
  v.done();
  return data;
}

export class StaffService {
  constructor(private readonly ctx: PeopleContext) {}

  /** The school's staff directory (names, positions): anyone of the school and the district's admins and analysts. */
  list(): Promise<Staff[]> {
    accessOf(this.ctx).requireDirectory();
    return this.ctx.em.find(Staff, {}, { orderBy: bySurname<Staff>() });
  }

  async create(input: StaffInput): Promise<Staff> {
    accessOf(this.ctx).requireAdmin();
    const data = validStaff(input);
    return this.ctx.em.transactional(async (em) => {
      const staff = em.create(Staff, data);
      await flushExplained(em, 'Этот person_id уже привязан к другому сотруднику');
      return staff;
    });
  }

  async update(id: string, version: number, input: StaffInput): Promise<Staff> {
    accessOf(this.ctx).requireAdmin();
    const { localId } = parseGlobalId(id, 'Staff', this.ctx.schoolId);
    const data = validStaff(input);
    return this.ctx.em.transactional(async (em) => {
      const staff = await findForEdit(em, Staff, { id: localId }, version, 'Сотрудник', id);
      em.assign(staff, data);
      await flushExplained(em, 'Этот person_id уже привязан к другому сотруднику');
      return staff;
    });
  }
}

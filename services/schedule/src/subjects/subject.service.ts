import { raw } from '@mikro-orm/core';
import { DomainError, flushExplained, Validator } from '@district/kit';
import { accessOf } from '../access';
import type { ScheduleContext } from '../context';
import { Subject } from './subject.entity';
import type { SubjectInput } from './subject.inputs';

export class SubjectService {
  constructor(private readonly ctx: ScheduleContext) {}

  list(): Promise<Subject[]> {
    accessOf(this.ctx).requireReach();
    // Sorted as a Russian reader expects (the database collation is C).
    return this.ctx.em.find(Subject, {}).then((rows) => rows.sort((a, b) => a.name.localeCompare(b.name, 'ru')));
  }

  async create(input: SubjectInput): Promise<Subject> {
    accessOf(this.ctx).requireAdmin();
    const v = new Validator();
    const name = v.text('name', input.name, { max: 100, label: 'Предмет' }) ?? '';
    const shortName = v.text('shortName', input.shortName, { required: false, max: 20, label: 'Краткое название' }) ?? name.slice(0, 20);
    v.done();
    const message = `Предмет «${name}» уже есть`;
    return this.ctx.em.transactional(async (em) => {
      if (await em.findOne(Subject, { [raw((alias: string) => `lower(${alias}.name)`)]: name.toLowerCase() })) throw DomainError.duplicate(message);
      const subject = em.create(Subject, { name, shortName, grading: input.grading });
      await flushExplained(em, message);
      return subject;
    });
  }
}

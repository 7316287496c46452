import { DomainError, flushExplained, Validator } from '@district/kit';
import { accessOf } from '../access';
import { shortTime, validTime } from '../dates';
import type { ScheduleContext } from '../context';
import { lockFor } from '../sql';
import { BellPeriod } from './bell-period.entity';
import type { BellPeriodInput } from './bell-period.inputs';

export class BellPeriodService {
  constructor(private readonly ctx: ScheduleContext) {}

  list(shift?: number | null): Promise<BellPeriod[]> {
    accessOf(this.ctx).requireReach();
    return this.ctx.em.find(BellPeriod, shift ? { shift } : {}, { orderBy: { shift: 'asc', number: 'asc' } });
  }

  async create(input: BellPeriodInput): Promise<BellPeriod> {
    accessOf(this.ctx).requireAdmin();
    const v = new Validator();
    const number = v.int('number', input.number, { min: 1, max: 8, label: 'Номер урока' });
    const shift = v.int('shift', input.shift, { min: 1, max: 3, label: 'Смена' });
    const startTime = validTime(v, 'startTime', input.startTime, 'Начало урока');
    const endTime = validTime(v, 'endTime', input.endTime, 'Конец урока');
    if (startTime && endTime) v.check(startTime < endTime, 'endTime', 'Урок кончается раньше, чем начинается');
    v.done();
    const message = `Урок № ${number} (${shift} смена) уже есть в расписании звонков`;
    return this.ctx.em.transactional(async (em) => {
      // One bell schedule edit at a time, so the order check below sees every period.
      await lockFor(em, 'bell_period');
      const others = await em.find(BellPeriod, { shift });
      if (others.some((p) => p.number === number)) throw DomainError.duplicate(message);
      // Periods follow each other: an earlier number ends before this one starts, a later one starts after it ends.
      const order = new Validator();
      for (const p of others) {
        const inOrder = p.number < number! ? p.endTime <= startTime! : p.startTime >= endTime!;
        order.check(
          inOrder,
          'startTime',
          `Урок № ${number} пересекается с уроком № ${p.number} (${shortTime(p.startTime)}–${shortTime(p.endTime)}) или идёт не по порядку`,
        );
      }
      order.done();
      const period = em.create(BellPeriod, { number: number!, shift, startTime: startTime!, endTime: endTime! });
      await flushExplained(em, message);
      return period;
    });
  }
}

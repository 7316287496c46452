import { LockMode } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { DomainError, ErrorCode, findForEdit, flushExplained, parseGlobalId, Validator } from '@district/kit';
import { accessOf, actorOf } from '../access';
import { DATE_RANGE, overlaps } from '../dates';
import { validId } from '../ids';
import type { ScheduleContext } from '../context';
import { query } from '../sql';
import { AcademicYear, Holiday, Term, type TermKind } from './year.entity';
import type { AcademicYearInput, HolidayInput, TermInput } from './year.inputs';

const ACADEMIC_YEAR = /^(\d{4})\/(\d{4})$/;
const TERMS_IN_YEAR: Record<TermKind, number> = { quarter: 4, trimester: 3, half_year: 2 };

export function validAcademicYearName(v: Validator, value: string | null | undefined): string {
  const name = v.text('name', value, { max: 9, pattern: ACADEMIC_YEAR, label: 'Учебный год' });
  const m = name ? ACADEMIC_YEAR.exec(name) : null;
  if (name && m) v.check(Number(m[2]) === Number(m[1]) + 1, 'name', 'Учебный год: вида 2026/2027');
  return name ?? '';
}

/** Locks the academic year row so concurrent edits of its calendar (terms, holidays) are checked one at a time. */
async function lockYear(em: EntityManager, id: number, globalId: string): Promise<AcademicYear> {
  const year = await em.findOne(AcademicYear, { id }, { lockMode: LockMode.PESSIMISTIC_WRITE });
  if (!year) throw DomainError.notFound('Учебный год', globalId);
  return year;
}

export class YearService {
  constructor(private readonly ctx: ScheduleContext) {}

  listYears(): Promise<AcademicYear[]> {
    accessOf(this.ctx).requireReach();
    return this.ctx.em.find(AcademicYear, {}, { orderBy: { startDate: 'desc' } });
  }

  async listTerms(academicYear?: string | null): Promise<Term[]> {
    accessOf(this.ctx).requireReach();
    const where: Record<string, unknown> = {};
    if (academicYear) {
      const year = await this.ctx.em.findOne(AcademicYear, { name: academicYear });
      if (!year) return [];
      where.academicYearId = year.id;
    }
    return this.ctx.em.find(Term, where, { orderBy: { startDate: 'asc', yearsFrom: 'asc', id: 'asc' } });
  }

  async getTerm(id: string): Promise<Term | null> {
    accessOf(this.ctx).requireReach();
    const { localId } = parseGlobalId(id, 'Term', this.ctx.schoolId);
    return (await this.ctx.loaders.term.load(localId)) ?? null;
  }

  async createYear(input: AcademicYearInput): Promise<AcademicYear> {
    accessOf(this.ctx).requireAdmin();
    const v = new Validator();
    const name = validAcademicYearName(v, input.name);
    const startDate = v.date('startDate', input.startDate, { label: 'Начало учебного года', ...DATE_RANGE });
    const endDate = v.date('endDate', input.endDate, { label: 'Конец учебного года', ...DATE_RANGE });
    if (startDate && endDate) {
      v.check(startDate < endDate, 'endDate', 'Конец учебного года раньше его начала');
      const first = ACADEMIC_YEAR.exec(name)?.[1];
      if (first)
        v.check(
          startDate.startsWith(first) && endDate <= `${Number(first) + 1}-08-31`,
          'startDate',
          `Даты учебного года ${name} должны лежать между 01.01.${first} и 31.08.${Number(first) + 1}`,
        );
    }
    v.done();
    return this.ctx.em.transactional(async (em) => {
      if (await em.findOne(AcademicYear, { name })) throw DomainError.duplicate(`Учебный год ${name} уже есть`);
      const year = em.create(AcademicYear, { name, startDate: startDate!, endDate: endDate! });
      await flushExplained(em, `Учебный год ${name} уже есть`);
      return year;
    });
  }

  async createTerm(input: TermInput): Promise<Term> {
    accessOf(this.ctx).requireAdmin();
    const v = new Validator();
    const yearId = validId(v, 'academicYearId', input.academicYearId, 'AcademicYear', this.ctx.schoolId, 'Учебный год');
    const name = v.text('name', input.name, { max: 50, label: 'Название' }) ?? '';
    const kind = input.kind as TermKind;
    const number = v.int('number', input.number, { min: 1, max: TERMS_IN_YEAR[kind] ?? 4, label: 'Номер периода' });
    const startDate = v.date('startDate', input.startDate, { label: 'Начало', ...DATE_RANGE });
    const endDate = v.date('endDate', input.endDate, { label: 'Конец', ...DATE_RANGE });
    if (startDate && endDate) v.check(startDate <= endDate, 'endDate', 'Конец периода раньше его начала');
    const yearsFrom = v.int('yearsFrom', input.yearsFrom, { min: 1, max: 11, label: 'Год обучения с' });
    const yearsTo = v.int('yearsTo', input.yearsTo, { min: 1, max: 11, label: 'Год обучения по' });
    if (yearsFrom && yearsTo) v.check(yearsFrom <= yearsTo, 'yearsTo', 'Годы обучения: «с» больше, чем «по»');
    v.done();
    return this.ctx.em.transactional(async (em) => {
      const year = await lockYear(em, yearId!, input.academicYearId);
      const problems = new Validator();
      problems.check(
        startDate! >= year.startDate && endDate! <= year.endDate,
        'startDate',
        `Период должен лежать внутри учебного года ${year.name} (${year.startDate} – ${year.endDate})`,
      );
      problems.done();
      const others = await em.find(Term, { academicYearId: year.id });
      if (others.some((t) => t.kind === kind && t.number === number && t.yearsFrom === yearsFrom && t.yearsTo === yearsTo)) {
        throw DomainError.duplicate(`${name}: такой период для ${yearsFrom}–${yearsTo} классов уже есть`);
      }
      const clash = others.find((t) => t.yearsFrom <= yearsTo! && yearsFrom! <= t.yearsTo && overlaps(t.startDate, t.endDate, startDate!, endDate!));
      if (clash) throw DomainError.conflict(`Даты пересекаются с периодом «${clash.name}» (${clash.startDate} – ${clash.endDate}) для тех же классов`);
      const term = em.create(Term, {
        academicYearId: year.id,
        name,
        kind,
        number: number!,
        startDate: startDate!,
        endDate: endDate!,
        yearsFrom: yearsFrom!,
        yearsTo: yearsTo!,
        closedAt: null,
        closedBy: null,
      });
      await flushExplained(em, `${name}: такой период уже есть`);
      return term;
    });
  }

  /** Closes a term; the journal then keeps its entries locked. */
  async closeTerm(id: string, version: number): Promise<Term> {
    accessOf(this.ctx).requireDeputy();
    const { localId } = parseGlobalId(id, 'Term', this.ctx.schoolId);
    return this.ctx.em.transactional(async (em) => {
      const term = await findForEdit(em, Term, { id: localId }, version, 'Учебный период', id);
      if (term.closedAt) throw DomainError.conflict(`Период «${term.name}» уже закрыт`, { version: term.version });
      await refuseTermGradeGaps(em, localId, term.name);
      term.closedAt = new Date();
      term.closedBy = actorOf(this.ctx);
      await flushExplained(em, 'Период уже закрыт');
      return term;
    });
  }

  async createHoliday(input: HolidayInput): Promise<Holiday> {
    accessOf(this.ctx).requireAdmin();
    const v = new Validator();
    const yearId = validId(v, 'academicYearId', input.academicYearId, 'AcademicYear', this.ctx.schoolId, 'Учебный год');
    const name = v.text('name', input.name, { max: 100, label: 'Название' }) ?? '';
    const startDate = v.date('startDate', input.startDate, { label: 'Начало', ...DATE_RANGE });
    const endDate = v.date('endDate', input.endDate, { label: 'Конец', ...DATE_RANGE });
    if (startDate && endDate) v.check(startDate <= endDate, 'endDate', 'Конец каникул раньше их начала');
    v.done();
    return this.ctx.em.transactional(async (em) => {
      const year = await lockYear(em, yearId!, input.academicYearId);
      const problems = new Validator();
      problems.check(startDate! >= year.startDate && endDate! <= year.endDate, 'startDate', `Каникулы должны лежать внутри учебного года ${year.name}`);
      problems.done();
      const [row] = await query<{ n: string }>(
        em,
        `select count(*) as n from schedule.lesson l join schedule.term t on t.id = l.term_id
         where t.academic_year_id = ? and l.date between ?::date and ?::date and l.status = 'SCHEDULED'`,
        [year.id, startDate, endDate],
      );
      const planned = Number(row!.n);
      if (planned > 0) throw DomainError.conflict(`На эти даты уже запланировано уроков: ${planned}; сначала отмените их`);
      const holiday = em.create(Holiday, { academicYearId: year.id, name, startDate: startDate!, endDate: endDate! });
      await em.flush();
      return holiday;
    });
  }
}

/**
 * A term closes only when every student who took a graded subject has a term
 * grade (or an explicit "not assessed"): the journal publishes who is missing
 * as journal.term_grade_gaps (absent where the journal is not installed).
 */
async function refuseTermGradeGaps(em: EntityManager, termId: number, name: string): Promise<void> {
  const [installed] = await query<{ present: boolean }>(em, `select to_regclass('journal.term_grade_gaps') is not null as present`);
  if (!installed?.present) return;
  const [gaps] = await query<{ n: string; classes: string | null }>(
    em,
    `select count(*) as n, string_agg(distinct c.name, ', ') as classes from journal.term_grade_gaps g
     left join people.class_group_facts c on c.class_group_id = g.class_group_id where g.term_id = ?`,
    [termId],
  );
  const missing = Number(gaps?.n ?? 0);
  if (missing > 0) {
    throw new DomainError(
      ErrorCode.Conflict,
      `Нельзя закрыть «${name}»: не выставлены четвертные отметки (${missing}; классы: ${gaps?.classes ?? '—'}). Поставьте отметку или «н/а»`,
      { missing },
    );
  }
}

import { allows, DomainError, findForEdit, flushExplained, isSchoolId, requireAction, Validator } from '@district/kit';
import type { MonitoringContext } from '../context';
import { SchoolRecord, type SchoolStatus } from './school.entity';
import type { SchoolInput } from './school.inputs';

const STATUSES: SchoolStatus[] = ['LIVE', 'PILOT', 'NOT_STARTED'];

function validUrl(v: Validator, field: string, value: string | null | undefined): string | null {
  const text = v.text(field, value, { required: false, max: 300 });
  if (!text) return null;
  let ok: boolean;
  try {
    ok = ['http:', 'https:'].includes(new URL(text).protocol);
  } catch {
    ok = false;
  }
  v.check(ok, field, `${field}: ожидается адрес http(s)://…`);
  return text;
}

function validSchool(input: SchoolInput) {
  const v = new Validator();
  const data = {
    fullName: v.text('fullName', input.fullName, { max: 300, label: 'Полное наименование' }) ?? '',
    shortName: v.text('shortName', input.shortName, { max: 100, label: 'Краткое наименование' }) ?? '',
    address: v.text('address', input.address, { max: 300, label: 'Адрес' }) ?? '',
    director: v.text('director', input.director, { required: false, max: 200, label: 'Директор' }) ?? null,
    status: input.status as SchoolStatus,
    peopleUrl: validUrl(v, 'peopleUrl', input.peopleUrl),
    scheduleUrl: validUrl(v, 'scheduleUrl', input.scheduleUrl),
    journalUrl: validUrl(v, 'journalUrl', input.journalUrl),
  };
  v.check(STATUSES.includes(data.status), 'status', 'Статус: LIVE, PILOT или NOT_STARTED');
  v.done();
  return data;
}

/** The district's school registry: which schools exist and where their instances run. */
export class SchoolRegistryService {
  constructor(private readonly ctx: MonitoringContext) {}

  /** Schools the viewer may reach: every school for district roles, their own for others. */
  async list(): Promise<SchoolRecord[]> {
    const all = await this.ctx.em.find(SchoolRecord, {}, { orderBy: { id: 'asc' } });
    return all.filter((s) => allows(this.ctx.viewer, 'school:reach', s.id) || allows(this.ctx.viewer, 'registry:readAll'));
  }

  async get(id: string): Promise<SchoolRecord | null> {
    // Decided before the look-up, so that a school-bound viewer cannot tell registered school codes from unknown ones.
    if (!allows(this.ctx.viewer, 'school:reach', id) && !allows(this.ctx.viewer, 'registry:readAll')) throw DomainError.forbidden(`Нет доступа к школе ${id}`);
    return this.ctx.em.findOne(SchoolRecord, { id });
  }

  /** Instance URLs are internal: district admins and the gateway's service account only. */
  requireInstanceReader(): void {
    requireAction(this.ctx.viewer, 'registry:readInstances');
  }

  async register(id: string, input: SchoolInput): Promise<SchoolRecord> {
    requireAction(this.ctx.viewer, 'school:register');
    if (!isSchoolId(id)) throw DomainError.invalid(`Код школы вида s001, получено «${id}»`, [{ field: 'id', message: 'invalid school code' }]);
    const data = validSchool(input);
    return this.ctx.em.transactional(async (em) => {
      if (await em.findOne(SchoolRecord, { id })) throw DomainError.duplicate(`Школа ${id} уже зарегистрирована`);
      const school = em.create(SchoolRecord, { id, ...data });
      await flushExplained(em, `Школа ${id} уже зарегистрирована`);
      return school;
    });
  }

  async update(id: string, version: number, input: SchoolInput): Promise<SchoolRecord> {
    requireAction(this.ctx.viewer, 'school:register');
    const data = validSchool(input);
    return this.ctx.em.transactional(async (em) => {
      const school = await findForEdit(em, SchoolRecord, { id }, version, 'Школа', id);
      em.assign(school, data);
      await flushExplained(em, `Школа ${id} уже зарегистрирована`);
      return school;
    });
  }
}

import { findForEdit, flushExplained, requireAction, Validator } from '@district/kit';
import type { JournalContext } from '../context';
import { JournalWrites } from '../journal-writes';
import { ControlForm, JournalSettings } from './control-form.entity';

/** The school's own rules: its forms of control with their weights, and the edit window. Its director sets them. */
export class SchoolRulesService {
  private readonly writes: JournalWrites;

  constructor(private readonly ctx: JournalContext) {
    this.writes = new JournalWrites(ctx);
  }

  private requireDirector(): void {
    const { viewer, schoolId } = this.ctx;
    requireAction(viewer, 'school:manage', schoolId, 'Правила ведения журнала устанавливает директор школы');
  }

  settings(): Promise<JournalSettings> {
    return this.ctx.em.findOneOrFail(JournalSettings, { id: 1 });
  }

  /** Adds a form of control or changes one (its weight applies to marks given from now on). */
  async setControlForm(code: string, name: string, weight: number, active: boolean): Promise<ControlForm> {
    this.requireDirector();
    const v = new Validator();
    const normalized = v.text('code', code, { max: 30, pattern: /^[A-Z][A-Z0-9_]*$/, label: 'Код (латиницей, например ORAL)' })?.toUpperCase();
    const label = v.text('name', name, { max: 100, label: 'Название' });
    v.check(
      Number.isFinite(weight) && weight > 0 && weight <= 10 && Math.round(weight * 100) === weight * 100,
      'weight',
      'Вес: от 0.01 до 10, не больше двух знаков после точки',
    );
    v.done();
    return this.ctx.em.transactional(async (em) => {
      let form = await em.findOne(ControlForm, { code: normalized! });
      const old = form ? { name: form.name, weight: Number(form.weight), active: form.active } : null;
      if (form) Object.assign(form, { name: label!, weight: weight.toFixed(2), active });
      else form = em.create(ControlForm, { code: normalized!, name: label!, weight: weight.toFixed(2), active });
      await flushExplained(em, 'Такая форма контроля уже есть');
      await this.writes.audit(em, 'CONTROL_FORM', form.id, old ? 'EDIT' : 'ENTER', old, { code: form.code, name: form.name, weight, active });
      return form;
    });
  }

  async setEditWindow(days: number, version: number): Promise<JournalSettings> {
    this.requireDirector();
    const v = new Validator();
    v.int('editWindowDays', days, { min: 0, max: 30, label: 'Срок самостоятельного исправления, дней' });
    v.done();
    return this.ctx.em.transactional(async (em) => {
      const settings = await findForEdit(em, JournalSettings, { id: 1 }, version, 'Настройки журнала', 'settings', {
        authorize: () => this.requireDirector(),
        current: (s) => ({ editWindowDays: s.editWindowDays }),
      });
      const old = { editWindowDays: settings.editWindowDays };
      settings.editWindowDays = days;
      await flushExplained(em, 'Настройки изменены');
      await this.writes.audit(em, 'SETTINGS', 1, 'EDIT', old, { editWindowDays: days });
      return settings;
    });
  }
}

import { DomainError, parseGlobalId, Validator, flushExplained } from '@district/kit';
import { ControlForm } from '../control-forms/control-form.entity';
import type { JournalContext } from '../context';
import { EditOutcomeType } from '../corrections/correction.type';
import { findEntryForEdit, JournalWrites, markWithdrawn } from '../journal-writes';
import { EntryRules } from '../lessons/entry-rules';
import type { Grading } from '../lessons/lesson-facts';
import { Mark, type MarkValue } from './mark.entity';
import { MarkType, type MarkChangeInput, type MarkInput } from './mark.type';

const NUMERIC = ['1', '2', '3', '4', '5'];
const PASS_FAIL = ['PASS', 'FAIL'];

/** A mark must fit how the subject is graded: 1–5, зачёт/незачёт, or nothing (year 1). */
export function checkValue(v: Validator, field: string, value: string, grading: Grading): MarkValue {
  const upper = value.trim().toUpperCase();
  if (grading === 'NONE') v.check(false, field, 'Безотметочное обучение: отметки по этому предмету не ставятся');
  else if (grading === 'MARKS') v.check(NUMERIC.includes(upper), field, `Отметка: от 1 до 5, получено «${value}»`);
  else v.check(PASS_FAIL.includes(upper), field, `Отметка: PASS (зачёт) или FAIL (незачёт), получено «${value}»`);
  return upper as MarkValue;
}

const snapshot = (m: Mark, form?: ControlForm) => ({
  lessonId: m.lessonId,
  studentId: m.studentId,
  value: m.value,
  controlForm: form?.code ?? m.controlFormId,
  weight: Number(m.weight),
  comment: m.comment ?? null,
  status: m.status,
});

export class MarkService {
  private readonly rules: EntryRules;
  private readonly writes: JournalWrites;

  constructor(private readonly ctx: JournalContext) {
    this.rules = new EntryRules(ctx);
    this.writes = new JournalWrites(ctx);
  }

  private async forms(): Promise<Map<string, ControlForm>> {
    const forms = await this.ctx.em.find(ControlForm, { active: true });
    return new Map(forms.map((f) => [f.code, f]));
  }

  /** A whole class's marks for one lesson, all or nothing. */
  async enter(lessonGlobalId: string, inputs: MarkInput[], key: string): Promise<MarkType[]> {
    const author = this.rules.author();
    const lessonId = parseGlobalId(lessonGlobalId, 'Lesson', this.ctx.schoolId).localId;
    return this.writes.once('enterMarks', key, { lessonGlobalId, inputs }, author, async (em) => {
      // Who may enter for this lesson is decided before the marks are validated.
      const fact = await this.rules.lesson(lessonId, lessonGlobalId);
      await this.rules.requireOpenLesson(fact);
      const forms = await this.forms();
      const check = new Validator();
      check.check(inputs.length >= 1 && inputs.length <= 100, 'marks', 'От 1 до 100 отметок за раз');
      const students = inputs.map((m, i) => {
        try {
          return parseGlobalId(m.studentId, 'Student', this.ctx.schoolId).localId;
        } catch {
          check.check(false, `marks.${i}.studentId`, `Неверный идентификатор обучающегося: ${m.studentId}`);
          return 0;
        }
      });
      inputs.forEach((m, i) => check.text(`marks.${i}.comment`, m.comment, { required: false, max: 500, label: 'Комментарий' }));
      const values = inputs.map((m, i) => checkValue(check, `marks.${i}.value`, m.value, fact.grading));
      inputs.forEach((m, i) =>
        check.check(forms.has(m.controlForm.trim().toUpperCase()), `marks.${i}.controlForm`, `Неизвестная форма контроля «${m.controlForm}»`),
      );
      check.done();
      await this.rules.requireStudentsInLesson(fact, students, (id) => inputs[students.indexOf(id)]!.studentId);

      const now = new Date();
      const marks = inputs.map((m, i) => {
        const form = forms.get(m.controlForm.trim().toUpperCase())!;
        return em.create(Mark, {
          lessonId,
          studentId: students[i]!,
          value: values[i]!,
          controlFormId: form.id,
          weight: form.weight,
          comment: m.comment?.trim() || null,
          status: 'ACTIVE',
          lessonDate: fact.date,
          enteredBy: author,
          enteredAt: now,
          delayMinutes: fact.minutesSinceEnd,
          updatedAt: now,
        });
      });
      await flushExplained(em, 'Такая запись уже есть');
      for (const [i, mark] of marks.entries())
        await this.writes.audit(em, 'MARK', mark.id, 'ENTER', null, snapshot(mark, forms.get(inputs[i]!.controlForm.trim().toUpperCase())));
      return marks.map((mark, i) => MarkType.from(mark, forms.get(inputs[i]!.controlForm.trim().toUpperCase())!, this.ctx.schoolId));
    });
  }

  async edit(globalId: string, version: number, change: MarkChangeInput, reason: string | null, key: string): Promise<EditOutcomeType> {
    const author = this.rules.author();
    const id = parseGlobalId(globalId, 'Mark', this.ctx.schoolId).localId;
    return this.writes.once('editMark', key, { globalId, version, change, reason }, author, async (em) => {
      const { entry: mark, fact } = await findEntryForEdit(em, this.rules, Mark, id, version, 'Отметка', globalId, (m) => ({
        value: m.value,
        comment: m.comment ?? null,
      }));
      if (change.value == null && change.controlForm == null && change.comment === undefined)
        throw DomainError.invalid('Нечего менять: укажите отметку, форму контроля или комментарий');
      const forms = await this.forms();
      const v = new Validator();
      const value = change.value != null ? checkValue(v, 'value', change.value, fact.grading) : mark.value;
      const form = change.controlForm != null ? forms.get(change.controlForm.trim().toUpperCase()) : undefined;
      v.check(change.controlForm == null || form !== undefined, 'controlForm', `Неизвестная форма контроля «${change.controlForm}»`);
      const comment = change.comment === undefined ? (mark.comment ?? null) : (v.text('comment', change.comment, { required: false, max: 500 }) ?? null);
      v.done();
      const path = await this.rules.editPath(fact, reason);
      const proposed = { value, controlForm: form?.code ?? null, comment };
      if (path === 'correction') return this.writes.requestCorrection(em, 'MARK', mark.id, 'EDIT', proposed, reason!, author);

      const currentForm = (await em.findOne(ControlForm, { id: mark.controlFormId }))!;
      const old = snapshot(mark, currentForm);
      applyMarkChange(mark, { value, form, comment });
      await flushExplained(em, 'Такая запись уже есть');
      const finalForm = form ?? currentForm;
      await this.writes.audit(em, 'MARK', mark.id, 'EDIT', old, snapshot(mark, finalForm), reason);
      return Object.assign(new EditOutcomeType(), { applied: true, mark: MarkType.from(mark, finalForm, this.ctx.schoolId) });
    });
  }

  async withdraw(globalId: string, version: number, reason: string | null, key: string): Promise<EditOutcomeType> {
    const author = this.rules.author();
    const id = parseGlobalId(globalId, 'Mark', this.ctx.schoolId).localId;
    return this.writes.once('withdrawMark', key, { globalId, version, reason }, author, async (em) => {
      const { entry: mark, fact } = await findEntryForEdit(em, this.rules, Mark, id, version, 'Отметка', globalId, (m) => ({ value: m.value }));
      const path = await this.rules.editPath(fact, reason);
      if (path === 'correction') return this.writes.requestCorrection(em, 'MARK', mark.id, 'WITHDRAW', null, reason!, author);
      const form = (await em.findOne(ControlForm, { id: mark.controlFormId }))!;
      const old = snapshot(mark, form);
      markWithdrawn(mark);
      await flushExplained(em, 'Такая запись уже есть');
      await this.writes.audit(em, 'MARK', mark.id, 'WITHDRAW', old, snapshot(mark, form), reason);
      return Object.assign(new EditOutcomeType(), { applied: true, mark: MarkType.from(mark, form, this.ctx.schoolId) });
    });
  }
}

/** The one place a mark's content changes (a direct edit or an approved correction). */
export function applyMarkChange(mark: Mark, change: { value: MarkValue; form?: ControlForm; comment: string | null }): void {
  mark.value = change.value;
  if (change.form) {
    mark.controlFormId = change.form.id;
    mark.weight = change.form.weight;
  }
  mark.comment = change.comment;
  mark.updatedAt = new Date();
}

export { snapshot as markSnapshot };

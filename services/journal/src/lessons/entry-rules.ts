import { allows, DomainError, requireAction, type Viewer } from '@district/kit';
import { JournalError } from '../journal.errors';
import type { JournalContext } from '../context';
import type { LessonFact } from './lesson-facts';

/**
 * The school's rules for entries (write them once, apply them everywhere):
 * marks and attendance are entered for lessons that have happened, by the
 * teacher who actually taught them (the substitute, if any); a cancelled
 * lesson takes no entries; a closed term is locked; after the edit window a
 * change needs a reason and a deputy's approval.
 */
export class EntryRules {
  constructor(private readonly ctx: JournalContext) {}

  /**
   * The person making the entry; every journal write is signed with it.
   * Checked before anything is loaded: only the school's teachers (and, in a
   * closed term, its director) ever change entries, so everyone else gets
   * this same FORBIDDEN whether the lesson or entry exists or not.
   */
  author(): string {
    const { viewer } = this.ctx;
    requireAction(viewer, 'journal:sign', this.ctx.schoolId);
    if (!viewer.personId) throw DomainError.forbidden('Записи в журнал вносят учителя этой школы');
    return viewer.personId;
  }

  async lesson(lessonId: number, globalId: string): Promise<LessonFact> {
    const fact = await this.ctx.loaders.facts.lesson.load(lessonId);
    if (!fact) throw DomainError.notFound('Урок', globalId);
    return fact;
  }

  /** The viewer teaches this lesson (as its teacher, or as the substitute when there is one). */
  async requireLessonTeacher(fact: LessonFact): Promise<void> {
    const staffId = await this.ctx.loaders.facts.staffIdOf(this.ctx.viewer.personId);
    const actual = fact.substituteStaffId ?? fact.teacherStaffId;
    if (!allows(this.ctx.viewer, 'journal:enter', this.ctx.schoolId) || staffId === undefined || staffId !== actual) {
      throw DomainError.forbidden('Записи об уроке вносит учитель, который его провёл (или заменявший его)');
    }
  }

  /**
   * May the viewer change this lesson's entries at all: its teacher (or the
   * substitute), or the director once the term is closed. Edits check this
   * before the entry's version, so only these people learn its current value.
   */
  async requireEditor(fact: LessonFact): Promise<void> {
    const { viewer, schoolId } = this.ctx;
    if (fact.termClosed && allows(viewer, 'journal:override', schoolId)) return;
    await this.requireLessonTeacher(fact);
  }

  /** Checks that apply to any new entry for the lesson. */
  async requireOpenLesson(fact: LessonFact): Promise<void> {
    this.author();
    await this.requireLessonTeacher(fact);
    if (fact.status === 'CANCELLED') throw new JournalError('LESSON_CANCELLED', `Урок ${fact.date} отменён: записи к нему не вносятся`);
    if (!fact.held) throw new JournalError('LESSON_NOT_HELD', `Урок ${fact.date} ${fact.startTime} ещё не начался`);
    if (fact.termClosed) throw new JournalError('TERM_CLOSED', 'Четверть (триместр) закрыта: изменения только через администратора школы');
  }

  async requireStudentsInLesson(fact: LessonFact, studentIds: number[], idOf: (studentId: number) => string): Promise<void> {
    const taking = await this.ctx.loaders.facts.studentsOf(fact.lessonId);
    const strangers = [...new Set(studentIds.filter((id) => !taking.has(id)))];
    if (strangers.length) {
      throw new JournalError('STUDENT_NOT_IN_LESSON', `Обучающиеся не занимаются на этом уроке: ${strangers.length}`, {
        problems: strangers.map((id) => ({ field: 'studentId', message: idOf(id) })),
      });
    }
  }

  /**
   * An edit to an existing entry: the lesson's teacher inside the edit
   * window changes it directly; after it, a reason turns it into a
   * correction request; without a reason it is refused.
   */
  async editPath(fact: LessonFact, reason: string | null | undefined): Promise<'direct' | 'correction'> {
    this.author();
    // A closed term is locked for everyone but the school's director, who must give a reason.
    if (fact.termClosed) {
      const { viewer, schoolId } = this.ctx;
      if (allows(viewer, 'journal:override', schoolId) && (reason?.trim().length ?? 0) >= 5) return 'direct';
      throw new JournalError('TERM_CLOSED', 'Период закрыт: исправить запись может только директор, указав причину');
    }
    await this.requireLessonTeacher(fact);
    if (fact.editWindowOpen) return 'direct';
    if (!reason || reason.trim().length < 5) {
      throw new JournalError(
        'EDIT_WINDOW_CLOSED',
        'Срок самостоятельного исправления истёк: укажите причину (не короче 5 символов), исправление утвердит заместитель директора',
      );
    }
    return 'correction';
  }
}

/**
 * Who may read a school's aggregates (monthly figures, progress analytics):
 * district analysts and admins for a school their token reaches, or the
 * school's deputy / director. Everyone else gets FORBIDDEN.
 */
export function requireSchoolFiguresAccess(ctx: { viewer: Viewer; schoolId: string }, what: string): void {
  const { viewer, schoolId } = ctx;
  requireAction(viewer, 'aggregates:read', schoolId, `Нет доступа к ${what} школы ${schoolId}`);
}

import { allows, DomainError, toGlobalId } from '@district/kit';
import { AttendanceType } from '../attendance/attendance.type';
import type { JournalContext } from '../context';
import type { LessonFact } from '../lessons/lesson-facts';
import { LessonRecordType } from '../lesson-records/lesson-record.type';
import { MarkType } from '../marks/mark.type';
import { LessonJournalType } from './class-journal.type';

/**
 * Why the viewer may not enter anything for a lesson now, in the words the
 * entry rules use (EntryRules.requireOpenLesson), or null when they may.
 */
export function readOnlyReason(fact: LessonFact, viewerStaffId: number | undefined, isTeacher: boolean): string | null {
  if (!isTeacher || viewerStaffId === undefined || viewerStaffId !== (fact.substituteStaffId ?? fact.teacherStaffId))
    return 'Записи об уроке вносит учитель, который его провёл (или заменявший его)';
  if (fact.status === 'CANCELLED') return 'Урок отменён: записи к нему не вносятся';
  if (fact.termClosed) return 'Четверть (триместр) закрыта';
  if (!fact.held) return 'Урок ещё не начался';
  return null;
}

/**
 * The journal pages of lessons the viewer may read: record, active marks and
 * attendance through the request's loaders, so any number of lessons costs
 * the same few statements.
 */
export async function lessonPages(ctx: JournalContext, facts: LessonFact[]): Promise<LessonJournalType[]> {
  const ids = facts.map((f) => f.lessonId);
  const [records, marks, attendance, staffId] = await Promise.all([
    ctx.loaders.record.loadMany(ids),
    ctx.loaders.marksByLesson.loadMany(ids),
    ctx.loaders.attendanceByLesson.loadMany(ids),
    ctx.loaders.facts.staffIdOf(ctx.viewer.personId),
  ]);
  const unwrap = <T>(v: T | Error): T => {
    if (v instanceof Error) throw v;
    return v;
  };
  const allMarks = marks.flatMap((m) => unwrap(m));
  const forms = await ctx.loaders.controlForm.loadMany([...new Set(allMarks.map((m) => m.controlFormId))]);
  const formBy = new Map(forms.flatMap((f) => (f && !(f instanceof Error) ? [[f.id, f] as const] : [])));
  if (allMarks.some((m) => !formBy.has(m.controlFormId)))
    throw DomainError.notFound('Форма контроля', String(allMarks.find((m) => !formBy.has(m.controlFormId))?.controlFormId));
  const isTeacher = allows(ctx.viewer, 'journal:enter', ctx.schoolId);
  return facts.map((fact, i) => {
    const record = unwrap(records[i]!);
    const reason = readOnlyReason(fact, staffId, isTeacher);
    return Object.assign(new LessonJournalType(), {
      lesson: { id: toGlobalId('Lesson', ctx.schoolId, fact.lessonId) },
      record: record ? LessonRecordType.from(record, ctx.schoolId) : null,
      marks: unwrap(marks[i]!).map((m) => MarkType.from(m, formBy.get(m.controlFormId)!, ctx.schoolId)),
      attendance: unwrap(attendance[i]!).map((a) => AttendanceType.from(a, ctx.schoolId)),
      editWindowOpen: fact.editWindowOpen,
      held: fact.held,
      editable: reason === null,
      readOnlyReason: reason,
    });
  });
}

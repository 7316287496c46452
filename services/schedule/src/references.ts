import type { ReferenceResolvers } from '@district/kit';
import { localIdOf } from './ids';
import { LessonService } from './lessons/lesson.service';
import { LessonType } from './lessons/lesson.type';
import type { ScheduleContext } from './context';
import { SubjectType } from './subjects/subject.type';
import { TermType } from './years/year.type';

/** `_entities` resolution: the same access rules as the root fields, batched through the loaders. */
export const references: ReferenceResolvers = {
  Lesson: async (ref: { id: string }, ctx: ScheduleContext) => {
    const id = localIdOf(ref.id, 'Lesson', ctx.schoolId);
    if (id === undefined) return null;
    const lesson = await ctx.loaders.lesson.load(id);
    if (!lesson || !(await new LessonService(ctx).canSee(lesson))) return null;
    return LessonType.from(lesson, ctx.schoolId);
  },

  Subject: async (ref: { id: string }, ctx: ScheduleContext) => {
    const id = localIdOf(ref.id, 'Subject', ctx.schoolId);
    if (id === undefined || !ctx.viewer.canReachSchool(ctx.schoolId)) return null;
    const subject = await ctx.loaders.subject.load(id);
    return subject ? SubjectType.from(subject, ctx.schoolId) : null;
  },

  Term: async (ref: { id: string }, ctx: ScheduleContext) => {
    const id = localIdOf(ref.id, 'Term', ctx.schoolId);
    if (id === undefined || !ctx.viewer.canReachSchool(ctx.schoolId)) return null;
    const term = await ctx.loaders.term.load(id);
    return term ? TermType.from(term, ctx.schoolId) : null;
  },
};

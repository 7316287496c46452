import { buildFederatedSchema, schoolArgumentGuard, tryParseGlobalId } from '@district/kit';
import type { GraphQLSchema } from 'graphql';
import { AttendanceResolver } from './attendance/attendance.resolver';
import { AuditResolver } from './audit/audit.resolver';
import type { JournalContext } from './context';
import { CorrectionResolver } from './corrections/correction.resolver';
import { DiaryResolver } from './diary/diary.resolver';
import { StudentRef } from './diary/diary.type';
import { LessonRecordResolver } from './lesson-records/lesson-record.resolver';
import { MarkResolver } from './marks/mark.resolver';
import { TermGradeResolver } from './term-grades/term-grade.resolver';

export function buildJournalSchema(): Promise<GraphQLSchema> {
  return buildFederatedSchema({
    resolvers: [MarkResolver, AttendanceResolver, LessonRecordResolver, CorrectionResolver, AuditResolver, DiaryResolver, TermGradeResolver],
    // Student is only extended here (with its diary); nothing returns it, so name it.
    orphanedTypes: [StudentRef],
    references: {
      // Access is checked when the diary is read, per student.
      Student: (ref: { id: string }, ctx: JournalContext) => {
        const parsed = tryParseGlobalId(ref.id);
        return parsed?.type === 'Student' && parsed.schoolId === ctx.schoolId ? Object.assign(new StudentRef(), { id: ref.id }) : null;
      },
    },
    globalMiddlewares: [schoolArgumentGuard],
  });
}

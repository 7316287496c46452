import { buildFederatedSchema, schoolArgumentGuard, tryParseGlobalId } from '@district/kit';
import type { GraphQLSchema } from 'graphql';
import { SchoolProgressResolver, StudentsAtRiskResolver } from './analytics/progress.resolver';
import { AttendanceResolver } from './attendance/attendance.resolver';
import { AuditResolver } from './audit/audit.resolver';
import type { JournalContext } from './context';
import { SchoolRulesResolver } from './control-forms/control-form.resolver';
import { CorrectionResolver } from './corrections/correction.resolver';
import { DiaryResolver } from './diary/diary.resolver';
import { StudentRef } from './diary/diary.type';
import { LessonRecordResolver } from './lesson-records/lesson-record.resolver';
import { MarkResolver } from './marks/mark.resolver';
import { SchoolMonitoringResolver } from './monitoring/monthly-figures.resolver';
import { SchoolRef } from './monitoring/monthly-figures.type';
import { TermGradeResolver } from './term-grades/term-grade.resolver';

export function buildJournalSchema(): Promise<GraphQLSchema> {
  return buildFederatedSchema({
    resolvers: [MarkResolver, AttendanceResolver, LessonRecordResolver, CorrectionResolver, AuditResolver, DiaryResolver, TermGradeResolver, SchoolRulesResolver, SchoolMonitoringResolver, SchoolProgressResolver, StudentsAtRiskResolver],
    // Student and School are only extended here (diary, monthly figures); nothing returns them, so name them.
    orphanedTypes: [StudentRef, SchoolRef],
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

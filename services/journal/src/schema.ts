import { buildFederatedSchema, operationGuard, schoolArgumentGuard } from '@district/kit';
import type { GraphQLSchema } from 'graphql';
import { OPERATIONS } from './access';
import { SchoolProgressResolver, StudentsAtRiskResolver } from './analytics/progress.resolver';
import { AttendanceResolver } from './attendance/attendance.resolver';
import { AuditResolver } from './audit/audit.resolver';
import { ClassJournalResolver } from './class-journal/class-journal.resolver';
import { SchoolRulesResolver } from './control-forms/control-form.resolver';
import { JournalFillResolver } from './control/journal-fill.resolver';
import { CorrectionResolver } from './corrections/correction.resolver';
import { DiaryResolver } from './diary/diary.resolver';
import { StudentRef } from './diary/diary.type';
import { LessonRecordResolver } from './lesson-records/lesson-record.resolver';
import { MarkResolver } from './marks/mark.resolver';
import { StudentProgressResolver } from './progress/student-progress.resolver';
import { SchoolMonitoringResolver } from './monitoring/monthly-figures.resolver';
import { SchoolPortalResolver } from './portal/portal.resolver';
import { SchoolRef } from './monitoring/monthly-figures.type';
import { references } from './references';
import { TermGradeResolver } from './term-grades/term-grade.resolver';

export function buildJournalSchema(): Promise<GraphQLSchema> {
  return buildFederatedSchema({
    resolvers: [
      MarkResolver,
      AttendanceResolver,
      LessonRecordResolver,
      ClassJournalResolver,
      CorrectionResolver,
      AuditResolver,
      DiaryResolver,
      TermGradeResolver,
      SchoolRulesResolver,
      SchoolMonitoringResolver,
      SchoolPortalResolver,
      JournalFillResolver,
      SchoolProgressResolver,
      StudentsAtRiskResolver,
      StudentProgressResolver,
    ],
    // Student and School are only extended here (diary, monthly figures); nothing returns them, so name them.
    orphanedTypes: [StudentRef, SchoolRef],
    references,
    globalMiddlewares: [schoolArgumentGuard, operationGuard(OPERATIONS)],
  });
}

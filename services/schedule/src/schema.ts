import { buildFederatedSchema, operationGuard, schoolArgumentGuard } from '@district/kit';
import type { GraphQLSchema } from 'graphql';
import { OPERATIONS } from './access';
import { TeachingAssignmentResolver } from './assignments/teaching-assignment.resolver';
import { BellPeriodResolver } from './bells/bell-period.resolver';
import { LessonResolver } from './lessons/lesson.resolver';
import { references } from './references';
import { SubjectResolver } from './subjects/subject.resolver';
import { TimetableEntryResolver } from './timetable/timetable-entry.resolver';
import { AcademicYearResolver, TermResolver } from './years/year.resolver';

export function buildScheduleSchema(): Promise<GraphQLSchema> {
  return buildFederatedSchema({
    resolvers: [LessonResolver, TermResolver, AcademicYearResolver, SubjectResolver, BellPeriodResolver, TeachingAssignmentResolver, TimetableEntryResolver],
    references,
    globalMiddlewares: [schoolArgumentGuard, operationGuard(OPERATIONS)],
  });
}

import type { OperationRules } from '@district/kit';

/**
 * The district's monitoring and registry operations and the policy action
 * each needs (kit policy.ts), checked before a resolver runs. The figures of
 * each school are then filtered to the schools the viewer may read
 * (collection/monitoring.service.ts).
 */
export const OPERATIONS = {
  'Query.schools': 'registry:list',
  'Query.school': 'registry:list',
  'Query.monitoring': 'aggregates:read',
  'Query.monthlyReport': 'aggregates:read',
  'Query.monthlyReportVersions': 'aggregates:read',
  'Query.monitoringCollectionRun': 'district:read',
  'Query.monitoringCollectionRuns': 'district:read',
  'Query.districtProgress': 'district:read',
  'Mutation.registerSchool': 'school:register',
  'Mutation.updateSchool': 'school:register',
  'Mutation.collectMonitoring': 'monitoring:collect',
  'Mutation.recordDiaryOpens': 'diaryOpens:record',
} as const satisfies OperationRules;

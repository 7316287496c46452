import 'reflect-metadata';

export * from './app';
export * from './config';
export { buildMonitoringSchema } from './schema';
export { SchoolRecord } from './registry/school.entity';
export * from './exports';
export { Collector } from './collection/collector';
export { collectionRunId, type CollectionRun, type SchoolOutcome } from './collection/collection-run';
export { FIGURES, SCHOOL_FIGURES_QUERY } from './collection/figures';
export { currentMonth, previousMonth } from './collection/month';
export { reportChanges, type SchoolMonthLine, type MonthlyReport } from './collection/report';
export { OPERATIONS as MONITORING_OPERATIONS } from './access';

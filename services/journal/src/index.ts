import 'reflect-metadata';

export * from './app';
export * from './config';
export { buildJournalSchema } from './schema';
export { weightedAverage, proposedGrade } from './diary/averages';
export { audit as journalAudit } from './journal-writes';
export { OPERATIONS as JOURNAL_OPERATIONS } from './access';

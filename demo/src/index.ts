import 'reflect-metadata';

export * from './district';
export * from './school-instance';
export * from './seed/demo-users';
export { curriculumFor } from './seed/curriculum';
export { seedDemoPeople, realmUsers } from './seed/seed-people';
export { seedDemoSchedule } from './seed/seed-schedule';
export { DEMO_LOADER_PERSON_ID, seedDemoJournal } from './seed/seed-journal';

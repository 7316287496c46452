import 'reflect-metadata';

export * from './app';
export * from './config';
export { buildPeopleSchema } from './schema';
export { ROSTER_COLUMNS } from './roster/roster.service';
export { Student } from './students/student.entity';
export { Staff } from './staff/staff.entity';
export { Guardian, Guardianship } from './guardians/guardian.entity';
export { ClassGroup, Enrollment } from './class-groups/class-group.entity';
export * from './seed';
export { OPERATIONS as PEOPLE_OPERATIONS } from './access';

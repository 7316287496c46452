import 'reflect-metadata';

export * from './app';
export * from './config';
export { buildMonitoringSchema } from './schema';
export { SchoolRecord } from './registry/school.entity';
export * from './exports';

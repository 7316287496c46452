import 'reflect-metadata';

export * from './district';
export * from './keycloak';
export * from './demo/demo-users';
export { seedDemoPeople, realmUsers } from './demo/seed-people';
export * from './postgres';
export { backupDatabase, restoreDatabase, tableCounts, compareDatabases } from './backup/backup';

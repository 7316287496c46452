export * from './keycloak';
export * from './postgres';
export { backupDatabase, restoreDatabase, tableCounts, compareDatabases } from './backup/backup';

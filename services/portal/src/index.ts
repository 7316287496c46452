import 'reflect-metadata';

export * from './app';
export * from './config';
export { buildPortalSchema } from './schema';
export { OPERATIONS as PORTAL_OPERATIONS } from './access';
export type { PortalErrorCode } from './portal.errors';

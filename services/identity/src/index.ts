import 'reflect-metadata';

export * from './app';
export * from './config';
export { buildIdentitySchema } from './schema';
export { OPERATIONS as IDENTITY_OPERATIONS } from './access';
export { AccountSync } from './accounts/account-sync';
export { transliterate, usernameCandidates, temporaryPassword } from './accounts/credentials';
export type { IdentityErrorCode } from './identity.errors';

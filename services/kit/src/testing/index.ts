export * from './database';
export * from './keycloak';

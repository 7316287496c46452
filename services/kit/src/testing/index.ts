export * from './database';
export * from './keycloak';
export * from './graphql';

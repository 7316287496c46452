export * from './database';
export * from './keycloak';
export * from './graphql';
export * from './tcp-proxy';
export * from './logs';
export * from './school-world';

import 'reflect-metadata';
import { runMain } from '@district/kit';
import { startIdentity } from './app';
import { identityConfigFromEnv } from './config';

/** Entry point of the district's identity subgraph (account administration in Keycloak). */
runMain('identity', () => startIdentity(identityConfigFromEnv()));

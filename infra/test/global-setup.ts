import { adminUrl } from '@district/kit/testing';
import { ensureKeycloak, keycloakConfigFromEnv } from '../src/keycloak';
import { ensurePostgres } from '../src/postgres';

/** Real PostgreSQL and real Keycloak for the whole run; a missing one fails the run. */
export default async function globalSetup(): Promise<void> {
  await ensurePostgres(adminUrl(), (l) => console.log(l));
  const keycloak = await ensureKeycloak({ port: keycloakConfigFromEnv().port, log: (l) => console.log(l) });
  process.env.KEYCLOAK_URL = keycloak.url;
  (globalThis as { __keycloak?: typeof keycloak }).__keycloak = keycloak;
}

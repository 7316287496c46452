import type { KeycloakHandle } from '../src/keycloak';

export default async function globalTeardown(): Promise<void> {
  const keycloak = (globalThis as { __keycloak?: KeycloakHandle }).__keycloak;
  if (keycloak?.startedHere && !process.env.KEEP_KEYCLOAK) await keycloak.stop();
}

import { randomUUID } from 'node:crypto';
import { startDistrict, type District } from '@district/demo';
import { gqlAt, keycloakUrl, startTcpProxy, tokenFor, type GraphQLAnswer, type TcpProxy } from '@district/kit/testing';

/**
 * Two demo schools (s001, s002, or the schools asked for) with their people, the district's monitoring
 * and identity, and the gateway, on fresh databases and the real Keycloak.
 * Identity reaches Keycloak's Admin API through a TCP proxy a test can cut;
 * `cutKeycloakBefore(call)` cuts it just before that Admin API call. Keycloak
 * users the tests create are deleted at close (through the master admin).
 */
export interface IdentityWorld {
  district: District;
  proxy: TcpProxy;
  /** An operation through the gateway as a demo login (or a user with their password). */
  gql(user: string, query: string, variables?: Record<string, unknown>, password?: string): Promise<GraphQLAnswer>;
  cutKeycloakBefore(call: string): void;
  /** Keycloak's Admin API as the master admin (checks that bypass identity). */
  admin<T = unknown>(method: string, path: string, body?: unknown): Promise<{ status: number; json: T }>;
  /** The Keycloak id of a username. */
  userId(username: string): Promise<string>;
  /** A Keycloak user a test made (directly or through identity): deleted at close. */
  forget(userId: string): void;
  key(): string;
  sql<T = Record<string, unknown>>(text: string, params?: unknown[]): Promise<T[]>;
  close(): Promise<void>;
}

export async function startIdentityWorld(options: { schools?: string[] } = {}): Promise<IdentityWorld> {
  const target = new URL(keycloakUrl());
  const proxy = await startTcpProxy({ host: target.hostname === 'localhost' ? '127.0.0.1' : target.hostname, port: Number(target.port || 80) });
  let cutAt: string | undefined;
  const created = new Set<string>();
  const district = await startDistrict({
    schools: options.schools ?? ['s001', 's002'],
    databasePrefix: `t_identity_${randomUUID().slice(0, 8)}`,
    keycloakUrl: keycloakUrl(),
    studentsPerClass: 1,
    identityKeycloakUrl: proxy.via(keycloakUrl()),
    beforeIdentityKeycloakCall: async (call) => {
      if (call === cutAt) {
        cutAt = undefined;
        await proxy.cut();
      }
    },
  });
  const masterToken = () => tokenFor('admin', { realm: 'master', clientId: 'admin-cli', password: 'admin' });
  const admin = async <T>(method: string, path: string, body?: unknown) => {
    const response = await fetch(`${keycloakUrl()}/admin/realms/district${path}`, {
      method,
      headers: { authorization: `Bearer ${await masterToken()}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, json: (text ? JSON.parse(text) : null) as T };
  };
  return {
    district,
    proxy,
    gql: async (user, query, variables, password) =>
      gqlAt(district.gateway.url, await tokenFor(user, password ? { password, fresh: true } : {}), query, variables),
    cutKeycloakBefore: (call) => (cutAt = call),
    admin,
    userId: async (username) => {
      const { json } = await admin<{ id: string }[]>('GET', `/users?username=${encodeURIComponent(username)}&exact=true`);
      if (!json[0]) throw new Error(`no Keycloak user ${username}`);
      return json[0].id;
    },
    forget: (id) => created.add(id),
    key: () => `k-${randomUUID()}`,
    sql: (text, params = []) => district.identity.em().getConnection().execute(text, params),
    close: async () => {
      for (const id of created) await admin('DELETE', `/users/${id}`);
      await district.close({ dropDatabases: true });
      await proxy.close();
    },
  };
}

/** Real Keycloak tokens for demo users (direct grant on the demo realm only). */
export function keycloakUrl(): string {
  return process.env.KEYCLOAK_URL ?? 'http://localhost:8080';
}

const cache = new Map<string, { token: string; until: number }>();

export async function tokenFor(username: string, options: { clientId?: string; password?: string; realm?: string; fresh?: boolean } = {}): Promise<string> {
  const clientId = options.clientId ?? 'district-web';
  const realm = options.realm ?? 'district';
  const key = `${realm}/${clientId}/${username}`;
  const hit = cache.get(key);
  if (!options.fresh && hit && hit.until > Date.now()) return hit.token;
  const response = await fetch(`${keycloakUrl()}/realms/${realm}/protocol/openid-connect/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'password', client_id: clientId, username, password: options.password ?? 'demo' }),
  });
  const body = (await response.json()) as { access_token?: string; expires_in?: number; error_description?: string };
  if (!response.ok || !body.access_token) throw new Error(`Keycloak refused a token for ${username}: ${body.error_description ?? response.status}`);
  cache.set(key, { token: body.access_token, until: Date.now() + ((body.expires_in ?? 60) - 30) * 1000 });
  return body.access_token;
}

export function decodeClaims(token: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8')) as Record<string, unknown>;
}

/** The realm's token endpoint under a Keycloak URL (the tokens' issuer). */
export function tokenUrlOf(keycloakUrl: string, realm = 'district'): string {
  return `${keycloakUrl.replace(/\/$/, '')}/realms/${realm}/protocol/openid-connect/token`;
}

/** Client-credentials token of a service account (the gateway's, monitoring's), renewed before it expires. */
export function serviceAccountTokens(tokenUrl: string, clientId: string, clientSecret: string): () => Promise<string> {
  let cached: { token: string; until: number } | undefined;
  return async () => {
    if (cached && cached.until > Date.now()) return cached.token;
    const response = await fetch(tokenUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'client_credentials', client_id: clientId, client_secret: clientSecret }),
      signal: AbortSignal.timeout(5_000),
    });
    const body = (await response.json()) as { access_token?: string; expires_in?: number; error_description?: string };
    if (!response.ok || !body.access_token) throw new Error(`service account token refused: ${body.error_description ?? response.status}`);
    cached = { token: body.access_token, until: Date.now() + Math.max(5, (body.expires_in ?? 60) - 30) * 1000 };
    return body.access_token;
  };
}

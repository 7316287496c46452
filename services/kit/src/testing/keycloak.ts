/** Real Keycloak tokens for demo users (direct grant on the demo realm only). */
export function keycloakUrl(): string {
  return process.env.KEYCLOAK_URL ?? 'http://localhost:8080';
}

const cache = new Map<string, { token: string; until: number }>();
const inflight = new Map<string, Promise<string>>();

/**
 * With brute-force detection on, Keycloak refuses a password login that
 * arrives while another login of the same user is still being checked
 * ("user_temporarily_disabled", answered as invalid credentials). So one login
 * per user at a time in this process, and a short retry for a login that
 * collided with one from another test process.
 */
export async function tokenFor(username: string, options: { clientId?: string; password?: string; realm?: string; fresh?: boolean } = {}): Promise<string> {
  const clientId = options.clientId ?? 'district-web';
  const realm = options.realm ?? 'district';
  const key = `${realm}/${clientId}/${username}`;
  const hit = cache.get(key);
  if (!options.fresh && hit && hit.until > Date.now()) return hit.token;
  const pending = inflight.get(key);
  if (pending && !options.fresh) return pending;
  const login = (async () => {
    for (let attempt = 1; ; attempt++) {
      const response = await fetch(`${keycloakUrl()}/realms/${realm}/protocol/openid-connect/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ grant_type: 'password', client_id: clientId, username, password: options.password ?? 'demo' }),
      });
      const body = (await response.json()) as { access_token?: string; expires_in?: number; error?: string; error_description?: string };
      if (response.ok && body.access_token) {
        cache.set(key, { token: body.access_token, until: Date.now() + ((body.expires_in ?? 60) - 30) * 1000 });
        return body.access_token;
      }
      if (body.error !== 'invalid_grant' || attempt >= 4 || options.password !== undefined) {
        throw new Error(`Keycloak refused a token for ${username}: ${body.error_description ?? response.status}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 150 * attempt));
    }
  })();
  inflight.set(key, login);
  try {
    return await login;
  } finally {
    inflight.delete(key);
  }
}

export function decodeClaims(token: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8')) as Record<string, unknown>;
}

/** Cookies of one browser-less login, as Keycloak sets them. */
class CookieJar {
  private readonly cookies = new Map<string, string>();
  take(response: Response): void {
    for (const line of response.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const at = pair!.indexOf('=');
      if (at > 0) this.cookies.set(pair!.slice(0, at).trim(), pair!.slice(at + 1).trim());
    }
  }
  header(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }
}

function formAction(html: string, what: string): string {
  const action = /<form[^>]*action="([^"]+)"/.exec(html)?.[1];
  if (!action) throw new Error(`Keycloak's ${what} page has no form: ${html.replace(/\s+/g, ' ').slice(0, 300)}`);
  return action.replace(/&amp;/g, '&');
}

/**
 * A person's first login with a temporary password, as a browser does it
 * against the real Keycloak (code flow with PKCE on `district-web`): the login
 * form, then the required "update password" form with the person's own
 * password. Afterwards the account logs in with `newPassword`.
 */
export async function completeFirstLogin(username: string, temporaryPassword: string, newPassword: string): Promise<void> {
  const { createHash, randomBytes } = await import('node:crypto');
  const verifier = randomBytes(32).toString('base64url');
  const jar = new CookieJar();
  const redirectUri = 'http://localhost:4000/';
  const auth = new URL(`${keycloakUrl()}/realms/district/protocol/openid-connect/auth`);
  auth.search = new URLSearchParams({
    client_id: 'district-web',
    redirect_uri: redirectUri,
    response_type: 'code',
    scope: 'openid',
    code_challenge: createHash('sha256').update(verifier).digest('base64url'),
    code_challenge_method: 'S256',
  }).toString();
  const send = async (url: string, form?: Record<string, string>) => {
    const response = await fetch(url, {
      method: form ? 'POST' : 'GET',
      redirect: 'manual',
      headers: { cookie: jar.header(), ...(form ? { 'content-type': 'application/x-www-form-urlencoded' } : {}) },
      body: form ? new URLSearchParams(form) : undefined,
    });
    jar.take(response);
    return response;
  };
  /** Follows Keycloak's own redirects (to its required-action pages), stopping at the app's redirect URI. */
  const follow = async (response: Response) => {
    let current = response;
    for (let hops = 0; hops < 5 && [302, 303].includes(current.status); hops++) {
      const location = current.headers.get('location') ?? '';
      if (location.startsWith(redirectUri)) break;
      current = await send(new URL(location, auth).toString());
    }
    return current;
  };
  const loginPage = await follow(await send(auth.toString()));
  const updatePage = await follow(await send(formAction(await loginPage.text(), 'login'), { username, password: temporaryPassword, credentialId: '' }));
  const updateHtml = await updatePage.text();
  if (updatePage.status !== 200 || !updateHtml.includes('password-new')) {
    throw new Error(`Keycloak answered ${updatePage.status} to the temporary password of ${username}, not the password update form`);
  }
  const done = await follow(await send(formAction(updateHtml, 'update password'), { 'password-new': newPassword, 'password-confirm': newPassword }));
  const location = done.headers.get('location') ?? '';
  if (![302, 303].includes(done.status) || !location.startsWith(redirectUri) || !location.includes('code=')) {
    throw new Error(`${username}'s new password was not accepted (${done.status}): ${(await done.text()).replace(/\s+/g, ' ').slice(0, 300)}`);
  }
}

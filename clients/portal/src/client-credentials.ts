import { PortalRefusal } from './portal-refusal';

export interface ClientCredentialsOptions {
  tokenUrl: string;
  clientId: string;
  clientSecret: string;
  fetch: typeof fetch;
  timeoutMs: number;
  now?: () => number;
}

interface Cached {
  token: string;
  /** When to get a new one: some time before Keycloak's expiry, so a token never expires on its way. */
  renewAt: number;
}

/**
 * The portal's access token (OAuth client-credentials grant at Keycloak),
 * kept until shortly before it expires; callers asking at the same time
 * share one request.
 */
export class ClientCredentials {
  private cached: Cached | undefined;
  private pending: Promise<string> | undefined;
  private readonly now: () => number;

  constructor(private readonly options: ClientCredentialsOptions) {
    this.now = options.now ?? (() => Date.now());
  }

  token(): Promise<string> {
    if (this.cached && this.now() < this.cached.renewAt) return Promise.resolve(this.cached.token);
    this.pending ??= this.request().finally(() => (this.pending = undefined));
    return this.pending;
  }

  /** The gateway did not accept this token (expired early, keys rotated): the next call gets a new one. */
  reject(token: string): void {
    if (this.cached?.token === token) this.cached = undefined;
  }

  private async request(): Promise<string> {
    const { tokenUrl, clientId, clientSecret } = this.options;
    let response: Response;
    try {
      response = await this.options.fetch(tokenUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
        body: new URLSearchParams({ grant_type: 'client_credentials', client_id: clientId, client_secret: clientSecret }).toString(),
        signal: AbortSignal.timeout(this.options.timeoutMs),
      });
    } catch (error) {
      throw new PortalRefusal('UNREACHABLE', `Сервер авторизации ${tokenUrl} не отвечает: ${reason(error)}`);
    }
    const body = (await response.json().catch(() => ({}))) as { access_token?: unknown; expires_in?: unknown; error?: unknown; error_description?: unknown };
    if (response.ok && typeof body.access_token === 'string') {
      const lifetime = typeof body.expires_in === 'number' && body.expires_in > 0 ? body.expires_in : 60;
      this.cached = { token: body.access_token, renewAt: this.now() + (lifetime - Math.min(30, lifetime / 2)) * 1000 };
      return body.access_token;
    }
    if (response.status >= 500) {
      throw new PortalRefusal('UNREACHABLE', `Сервер авторизации ответил ${response.status}; повторите запрос позже`, { status: response.status });
    }
    const why = [body.error, body.error_description].filter((s) => typeof s === 'string').join(': ') || `HTTP ${response.status}`;
    throw new PortalRefusal('TOKEN_REFUSED', `Сервер авторизации не выдал токен клиенту ${clientId}: ${why}`, { status: response.status });
  }
}

export function reason(error: unknown): string {
  const { name, message, cause } = (error ?? {}) as { name?: string; message?: string; cause?: { code?: string; message?: string } };
  if (name === 'TimeoutError') return 'истекло время ожидания';
  return cause?.code ?? cause?.message ?? message ?? String(error);
}

import type { PortalClientOptions } from './sdk';

/** The district's demo values: a local gateway and Keycloak, and the demo realm's committed secret. */
export const DEMO_DEFAULTS = {
  PORTAL_GATEWAY_URL: 'http://localhost:4000/graphql',
  PORTAL_TOKEN_URL: 'http://localhost:8080/realms/district/protocol/openid-connect/token',
  PORTAL_CLIENT_ID: 'state-portal',
  PORTAL_CLIENT_SECRET: 'state-portal-secret',
} as const;

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

/**
 * The CLI's connection from the environment (the only place it reads it),
 * with the demo defaults; every problem is reported at once.
 */
export function portalClientConfigFromEnv(env: Record<string, string | undefined> = process.env): PortalClientOptions {
  const value = (name: keyof typeof DEMO_DEFAULTS) => env[name]?.trim() || DEMO_DEFAULTS[name];
  const problems: string[] = [];
  const url = (name: 'PORTAL_GATEWAY_URL' | 'PORTAL_TOKEN_URL') => {
    const text = value(name);
    try {
      if (!['http:', 'https:'].includes(new URL(text).protocol)) problems.push(`${name}: нужен адрес http(s), а не ${text}`);
    } catch {
      problems.push(`${name}: не адрес: ${text}`);
    }
    return text;
  };
  const config = {
    gatewayUrl: url('PORTAL_GATEWAY_URL'),
    tokenUrl: url('PORTAL_TOKEN_URL'),
    clientId: value('PORTAL_CLIENT_ID'),
    clientSecret: value('PORTAL_CLIENT_SECRET'),
  };
  if (problems.length) throw new ConfigError(`Настройки подключения неверны:\n${problems.map((p) => `  ${p}`).join('\n')}`);
  return config;
}

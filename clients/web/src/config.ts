/** Settings the gateway serves at /config.json, so one build runs in any district. */
export interface RuntimeConfig {
  keycloakUrl: string;
  realm: string;
  clientId: string;
}

export async function loadRuntimeConfig(): Promise<RuntimeConfig> {
  const response = await fetch('/config.json', { headers: { accept: 'application/json' } });
  if (!response.ok) throw new Error(`config.json: HTTP ${response.status}`);
  return (await response.json()) as RuntimeConfig;
}

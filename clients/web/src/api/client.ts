import { Client, fetchExchange, cacheExchange, mapExchange, type CombinedError } from '@urql/core';

export interface ApiHooks {
  /** The current access token (renewed silently by the OIDC library). */
  token(): string | undefined;
  /** The session is over (401): send the user to log in again. */
  onUnauthenticated(): void;
}

/** One GraphQL client for the app: the same-origin gateway, the bearer token on every request. */
export function createApiClient(hooks: ApiHooks): Client {
  return new Client({
    url: '/graphql',
    requestPolicy: 'cache-and-network',
    // POST with a JSON body: urql would send queries as GET, which the gateway's CSRF prevention refuses.
    preferGetMethod: false,
    exchanges: [
      mapExchange({
        onError(error: CombinedError) {
          const status = (error.response as Response | undefined)?.status;
          if (status === 401 || error.graphQLErrors.some((e) => e.extensions?.code === 'UNAUTHENTICATED')) hooks.onUnauthenticated();
        },
      }),
      cacheExchange,
      fetchExchange,
    ],
    fetchOptions: () => {
      const token = hooks.token();
      return { headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), 'x-client-name': 'district-web' } };
    },
  });
}

import type { RemoteGraphQLDataSource } from '@apollo/gateway';

/** The fetch function Apollo's data sources take. */
export type Fetcher = NonNullable<NonNullable<ConstructorParameters<typeof RemoteGraphQLDataSource>[0]>['fetcher']>;

/**
 * Node's fetch with a hard deadline per subgraph call and no retries (a
 * mutation must never be sent twice). Apollo's fetcher types are its own
 * copies of the Fetch API's, the same at run time.
 */
export function deadlineFetcher(timeoutMs: number): Fetcher {
  return (url, init) => fetch(url, { ...(init as RequestInit), signal: AbortSignal.timeout(timeoutMs) }) as ReturnType<Fetcher>;
}

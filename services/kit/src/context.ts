import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Viewer } from './viewer';

/** What every resolver receives; `loaders` are made fresh per request. */
export interface RequestContext<L> {
  viewer: Viewer;
  em: EntityManager;
  loaders: L;
  /** The school this instance serves (undefined for district services). */
  schoolId: string;
  requestId: string;
  client: string;
}

export function requestMeta(headers: Record<string, string | string[] | undefined>): { requestId: string; client: string } {
  const first = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);
  const requestId = first(headers['x-request-id']);
  return {
    requestId: requestId && /^[\w-]{1,100}$/.test(requestId) ? requestId : randomUUID(),
    client: (first(headers['x-client-name']) ?? first(headers['user-agent']) ?? 'unknown').slice(0, 200),
  };
}

import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Viewer } from './viewer';

/** What every resolver receives; `loaders` are made fresh per request. */
export interface RequestContext<L> {
  viewer: Viewer;
  em: EntityManager;
  loaders: L;
  /** The school this instance serves; absent in a district service (monitoring), which serves every school the viewer may see. */
  schoolId?: string;
  requestId: string;
  client: string;
}

/** The context of a per-school instance (people, schedule, journal): it always serves one school. */
export interface SchoolRequestContext<L> extends RequestContext<L> {
  schoolId: string;
}

/** A caller's X-Request-Id is kept only when it is a short token of safe characters (it goes into every log line and onward). */
export function acceptedRequestId(value: string | string[] | undefined): string | undefined {
  const id = Array.isArray(value) ? value[0] : value;
  return id && /^[\w.-]{1,64}$/.test(id) ? id : undefined;
}

export function requestMeta(headers: Record<string, string | string[] | undefined>): { requestId: string; client: string } {
  const first = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);
  return {
    requestId: acceptedRequestId(headers['x-request-id']) ?? randomUUID(),
    client: (first(headers['x-client-name']) ?? first(headers['user-agent']) ?? 'unknown').slice(0, 200),
  };
}

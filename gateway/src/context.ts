import type { Viewer } from '@district/kit';

/** Per-request context of the gateway: the verified viewer and their token, forwarded to subgraphs. */
export interface GatewayContext {
  viewer: Viewer;
  token: string;
  requestId: string;
  client: string;
}

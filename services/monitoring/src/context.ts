import type { RequestContext } from '@district/kit';

export type MonitoringContext = RequestContext<Record<string, never>>;

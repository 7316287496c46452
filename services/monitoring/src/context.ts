import type { RequestContext } from '@district/kit';
import type { Collector } from './collection/collector';

export type MonitoringContext = RequestContext<Record<string, never>> & { collector: Collector };

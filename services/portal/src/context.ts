import type { RequestContext } from '@district/kit';
import type { PortalService } from './portal.service';

export type PortalContext = RequestContext<Record<string, never>> & { portal: PortalService };

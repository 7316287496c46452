import 'reflect-metadata';
import { runMain } from '@district/kit';
import { startPortal } from './app';
import { portalConfigFromEnv } from './config';

/** Entry point of the district's portal subgraph (the state services portal's questions). */
runMain('portal', () => startPortal(portalConfigFromEnv()));

import 'reflect-metadata';
import { runMain } from '@district/kit';
import { startMonitoring } from './app';
import { monitoringConfigFromEnv } from './config';

/** Entry point of the district's monitoring subgraph. */
runMain('monitoring', () => startMonitoring(monitoringConfigFromEnv()));

import 'reflect-metadata';
import { runMain } from '@district/kit';
import { startGateway } from './app';
import { gatewayConfigFromEnv } from './config';

runMain('gateway', () => startGateway(gatewayConfigFromEnv()));

import 'reflect-metadata';
import { startMonitoring } from './app';
import { monitoringConfigFromEnv } from './config';

/** Entry point of the district's monitoring subgraph. */
async function main(): Promise<void> {
  const service = await startMonitoring(monitoringConfigFromEnv());
  console.log(`monitoring ready at ${service.url}`);
  const stop = async () => {
    await service.close();
    process.exit(0);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});

import 'reflect-metadata';
import { startGateway } from './app';
import { gatewayConfigFromEnv } from './config';

async function main(): Promise<void> {
  const gateway = await startGateway(gatewayConfigFromEnv());
  console.log(`gateway ready at ${gateway.url}`);
  const stop = async () => {
    await gateway.close();
    process.exit(0);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});

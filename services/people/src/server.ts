import 'reflect-metadata';
import { startPeople } from './app';
import { peopleConfigFromEnv } from './config';

/** Entry point of one school's people instance. */
async function main(): Promise<void> {
  const config = peopleConfigFromEnv();
  const service = await startPeople(config);
  console.log(`people (${config.schoolId}) ready at ${service.url}`);
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

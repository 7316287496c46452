import { schoolServiceConfigFromEnv, type SchoolServiceConfig } from '@district/kit';

export type JournalConfig = SchoolServiceConfig;

/** All of the journal service's environment, read and checked in one place (see kit: schoolServiceConfigFromEnv). */
export function journalConfigFromEnv(env: Record<string, string | undefined> = process.env): JournalConfig {
  return schoolServiceConfigFromEnv(4301, env);
}

import { schoolServiceConfigFromEnv, type SchoolServiceConfig } from '@district/kit';

export type PeopleConfig = SchoolServiceConfig;

/** All of the people service's environment, read and checked in one place (see kit: schoolServiceConfigFromEnv). */
export function peopleConfigFromEnv(env: Record<string, string | undefined> = process.env): PeopleConfig {
  return schoolServiceConfigFromEnv(4101, env);
}

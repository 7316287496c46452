import { schoolServiceConfigFromEnv, type SchoolServiceConfig } from '@district/kit';

/** The school's database must have been migrated by the people service first (schedule reads its views). */
export type ScheduleConfig = SchoolServiceConfig;

/** All of the schedule service's environment, read and checked in one place (see kit: schoolServiceConfigFromEnv). */
export function scheduleConfigFromEnv(env: Record<string, string | undefined> = process.env): ScheduleConfig {
  return schoolServiceConfigFromEnv(4201, env);
}

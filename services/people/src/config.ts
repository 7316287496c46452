import { loadConfig, schoolServiceConfigFromEnv, secretEnv, z, type SchoolServiceConfig } from '@district/kit';

export interface PeopleConfig extends SchoolServiceConfig {
  /** How long a district admin's access to one student's personal data stays open (default 60 minutes). */
  personalDataAccessMinutes?: number;
  /** The district's secret for SNILS keys; the demo's committed one outside production. */
  identityKeySecret?: string;
}

/** The demo's SNILS key secret: refused in production (peopleConfigFromEnv). */
export const DEMO_IDENTITY_KEY_SECRET = 'district-identity-key-demo';

export const DEFAULT_PERSONAL_DATA_ACCESS_MINUTES = 60;

/** All of the people service's environment, read and checked in one place (see kit: schoolServiceConfigFromEnv). */
export function peopleConfigFromEnv(env: Record<string, string | undefined> = process.env): PeopleConfig {
  // Both parts are read before failing, so every problem is reported at once.
  const problems: string[] = [];
  const read = <T>(fn: () => T): T | undefined => {
    try {
      return fn();
    } catch (error) {
      problems.push((error as Error).message);
      return undefined;
    }
  };
  const school = read(() => schoolServiceConfigFromEnv(4101, env));
  const own = read(() =>
    loadConfig(
      z.object({
        PERSONAL_DATA_ACCESS_MINUTES: z.coerce
          .number()
          .int()
          .min(1)
          .max(24 * 60)
          .default(DEFAULT_PERSONAL_DATA_ACCESS_MINUTES),
        IDENTITY_KEY_SECRET: secretEnv().default(DEMO_IDENTITY_KEY_SECRET),
      }),
      env,
      { requiredInProduction: ['IDENTITY_KEY_SECRET'] },
    ),
  );
  if (!school || !own) throw new Error(['Invalid configuration:', ...problems.map((p) => p.replace(/^Invalid configuration:\n/, ''))].join('\n'));
  return { ...school, personalDataAccessMinutes: own.PERSONAL_DATA_ACCESS_MINUTES, identityKeySecret: own.IDENTITY_KEY_SECRET };
}

import type { EntityManager } from '@mikro-orm/postgresql';
import type { AuthSettings } from '@district/kit';
import { startJournal, type JournalService } from '@district/journal';
import { startPeople, type PeopleService } from '@district/people';
import { startSchedule, type ScheduleService } from '@district/schedule';

export interface SchoolUrls {
  people: string;
  schedule: string;
  journal: string;
}

/** One school's tier: people, schedule and journal on the school's own database. */
export interface SchoolInstance {
  id: string;
  people: PeopleService;
  schedule: ScheduleService;
  journal: JournalService;
  urls: SchoolUrls;
  /** GraphQL requests its services received (tests count calls with it). */
  requests(): number;
  /** SQL statements its services ran. */
  statements(): number;
  em(): EntityManager;
  close(): Promise<void>;
}

export interface SchoolInstanceOptions {
  schoolId: string;
  databaseUrl: string;
  auth: AuthSettings;
  production: boolean;
  /** Ports of people, schedule and journal (0 picks free ones). */
  ports: { people: number; schedule: number; journal: number };
  log?: (e: unknown) => void;
}

/**
 * Starts a school's services in their dependency order: people first (its
 * published views), then schedule (reads people's views), then journal
 * (reads both). Each migrates its own schema at start.
 */
export async function startSchoolInstance(options: SchoolInstanceOptions): Promise<SchoolInstance> {
  const base = { schoolId: options.schoolId, databaseUrl: options.databaseUrl, production: options.production, auth: options.auth, poolMax: 5 };
  const people = await startPeople({ ...base, port: options.ports.people }, { log: options.log });
  const schedule = await startSchedule({ ...base, port: options.ports.schedule }, { log: options.log }).catch(async (e: unknown) => {
    await people.close();
    throw e;
  });
  const journal = await startJournal({ ...base, port: options.ports.journal }, { log: options.log }).catch(async (e: unknown) => {
    await schedule.close();
    await people.close();
    throw e;
  });
  const services = [people, schedule, journal];
  return {
    id: options.schoolId,
    people,
    schedule,
    journal,
    urls: { people: people.url, schedule: schedule.url, journal: journal.url },
    requests: () => services.reduce((n, s) => n + s.stats.requests, 0),
    statements: () => services.reduce((n, s) => n + s.sql.count, 0),
    em: () => people.em(),
    close: async () => {
      await journal.close();
      await schedule.close();
      await people.close();
    },
  };
}

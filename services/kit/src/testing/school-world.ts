import { authSettings, type SchoolServiceConfig } from '../config';
import { toGlobalId } from '../ids';
import { createTestDatabase } from './database';
import { demoPersonId, gqlAt, type DemoRole, type GraphQLAnswer } from './graphql';
import { keycloakUrl, tokenFor } from './keycloak';

/** A demo login of school s001 as the realm file has it (infra/keycloak/realm-district.demo.json). */
export interface DemoLogin {
  username: string;
  personId: string;
  lastName: string;
  firstName: string;
}

/**
 * The demo logins of s001 by role. A test world that seeds a person behind
 * a login gives them these names, so a test reads the same person whichever
 * service it is about.
 */
export const DEMO_S001: Record<DemoRole, DemoLogin> = {
  director: { username: 's001.director', personId: demoPersonId(1, 'director'), lastName: 'Соколова', firstName: 'Ирина' },
  deputy: { username: 's001.deputy', personId: demoPersonId(1, 'deputy'), lastName: 'Морозова', firstName: 'Ольга' },
  teacher: { username: 's001.teacher', personId: demoPersonId(1, 'teacher'), lastName: 'Петров', firstName: 'Иван' },
  student: { username: 's001.student', personId: demoPersonId(1, 'student'), lastName: 'Смирнов', firstName: 'Алексей' },
  parent: { username: 's001.parent', personId: demoPersonId(1, 'parent'), lastName: 'Смирнова', firstName: 'Наталья' },
};

/** The person behind a demo login as a test world seeds them: the realm's names and person id, with the world's own middle name. */
export function demoPerson(
  role: DemoRole,
  middleName: string | null = null,
): { lastName: string; firstName: string; middleName: string | null; personId: string } {
  const login = DEMO_S001[role];
  return { lastName: login.lastName, firstName: login.firstName, middleName, personId: login.personId };
}

/** Anything a test world starts and must stop. */
interface Closable {
  close(): Promise<void>;
}

/**
 * What every service's test world shares: school s001 on a fresh database,
 * the school's services started on it (stopped in reverse order, then the
 * database dropped), operations sent as demo logins with real Keycloak
 * tokens. Each service keeps its own seed data beside its tests.
 */
export interface TestSchool {
  schoolId: 's001';
  /** The fresh database's name. */
  database: string;
  /** What each school service of the world is started with (a free port, the test realm). */
  settings: SchoolServiceConfig;
  /** Starts a service on the school's database; `close()` stops it. */
  start<S extends Closable>(startService: (settings: SchoolServiceConfig) => Promise<S>): Promise<S>;
  /** An opaque ID of this school. */
  id(type: string, localId: number | string): string;
  /** POSTs an operation to `url` as a demo login (a real Keycloak token), or with no token when `user` is undefined. */
  gqlAs(url: string, user: string | undefined, query: string, variables?: Record<string, unknown>): Promise<GraphQLAnswer>;
  /** Stops what was started, newest first, and drops the database. */
  close(): Promise<void>;
}

/** A fresh database for s001; `label` names it (t_<label>_<random>). Close it even when a start or seed fails. */
export async function startTestSchool(label: string, options: { poolMax?: number } = {}): Promise<TestSchool> {
  const db = await createTestDatabase(label);
  const settings: SchoolServiceConfig = {
    schoolId: 's001',
    port: 0,
    databaseUrl: db.url,
    production: false,
    auth: authSettings(keycloakUrl(), 'district', 'district-api'),
    poolMax: options.poolMax ?? 5,
  };
  const started: Closable[] = [];
  return {
    schoolId: 's001',
    database: db.name,
    settings,
    async start(startService) {
      const service = await startService(settings);
      started.push(service);
      return service;
    },
    id: (type, localId) => toGlobalId(type, 's001', localId),
    gqlAs: async (url, user, query, variables) => gqlAt(url, user ? await tokenFor(user) : undefined, query, variables),
    async close() {
      for (const service of started.reverse()) await service.close();
      started.length = 0;
      await db.drop();
    },
  };
}

/**
 * Runs `build` on a fresh test school and closes the school when `build`
 * fails, so a failed start or seed leaves no database or server behind.
 */
export async function buildTestWorld<W>(label: string, build: (school: TestSchool) => Promise<W>, options: { poolMax?: number } = {}): Promise<W> {
  const school = await startTestSchool(label, options);
  try {
    return await build(school);
  } catch (error) {
    await school.close();
    throw error;
  }
}

import { createDatabase, dropDatabase } from '@district/kit/testing';
import { startGateway, type GatewayConfig, type RunningGateway, DEFAULT_LIMITS } from '@district/gateway';
import { SchoolRecord, startMonitoring, tokenUrlOf, type MonitoringService } from '@district/monitoring';
import { authSettings } from '@district/kit';
import { DEMO_SCHOOLS } from './demo/demo-users';
import { seedDemoJournal } from './demo/seed-journal';
import { seedDemoPeople } from './demo/seed-people';
import { seedDemoSchedule } from './demo/seed-schedule';
import { startSchoolInstance, type SchoolInstance, type SchoolUrls } from './school-instance';

export interface DistrictOptions {
  /** School codes to run, e.g. ['s001', 's002', 's003']. */
  schools: string[];
  /** Databases are named `<prefix>` (district) and `<prefix>_<school>`. */
  databasePrefix: string;
  keycloakUrl: string;
  gatewayPort?: number;
  monitoringPort?: number;
  /** Port of s001's people instance; sNNN gets base + NNN - 1, its schedule +100 and journal +200. 0 picks free ports. */
  peopleBasePort?: number;
  /** Students per class group in the demo roster; 0 leaves schools empty. */
  studentsPerClass?: number;
  /** Seed a year's timetable and lessons (and, with `journalHistory`, marks, attendance, topics and homework up to today). */
  timetable?: boolean;
  journalHistory?: boolean;
  schoolTimeoutMs?: number;
  registryRefreshMs?: number;
  limits?: Partial<GatewayConfig['limits']>;
  /** Local time of monitoring's nightly collection (district time), e.g. '03:00'; default none (collection on demand). */
  nightlyCollection?: string | null;
  /** Pause before monitoring asks a failed school again within a run (default 2 s). */
  collectionRetryMs?: number;
  /** Production mode: no introspection, no landing page (gateway and subgraphs). */
  production?: boolean;
  log?: (message: string) => void;
}

export interface District {
  gateway: RunningGateway;
  monitoring: MonitoringService;
  schools: Map<string, SchoolInstance>;
  /** Starts (or restarts) a school's instances on their previous ports, migrating and seeding its database. */
  startSchool(schoolId: string): Promise<SchoolInstance>;
  stopSchool(schoolId: string): Promise<void>;
  /** Adds the school to the registry directly (the bootstrap path; the API path is the registerSchool mutation). */
  registerSchool(schoolId: string, urls: Partial<SchoolUrls>): Promise<void>;
  close(options?: { dropDatabases?: boolean }): Promise<void>;
}

/**
 * A district in one process: the district database and monitoring subgraph,
 * per school its people, schedule and journal instances on the school's own
 * database, and the gateway. Used by the
 * demo and by the end-to-end tests; each part is the same code a production
 * process runs from its own `server.ts`.
 */
export async function startDistrict(options: DistrictOptions): Promise<District> {
  const log = options.log ?? (() => undefined);
  const auth = authSettings(options.keycloakUrl, 'district', 'district-api');
  const databases: string[] = [];
  const ports = new Map<string, { people: number; schedule: number; journal: number }>();
  const schools = new Map<string, SchoolInstance>();

  const districtDb = options.databasePrefix;
  // Monitoring collects through the gateway, which starts after it (it reads the registry from monitoring).
  let gatewayUrl: string | undefined;
  const monitoring = await startMonitoring(
    {
      port: options.monitoringPort ?? 0,
      databaseUrl: await createDatabase(districtDb),
      production: options.production ?? false,
      auth,
      collection: {
        gatewayUrl: () => gatewayUrl,
        tokenUrl: tokenUrlOf(options.keycloakUrl),
        clientId: 'district-monitoring',
        clientSecret: 'district-monitoring-secret',
        timezone: 'Europe/Moscow',
        nightlyAt: options.nightlyCollection ?? null,
        retryDelayMs: options.collectionRetryMs,
      },
    },
    { log: (e) => log(String(e)) },
  );
  databases.push(districtDb);

  const registerSchool = async (schoolId: string, urls: Partial<SchoolUrls>) => {
    const em = monitoring.em();
    const known = DEMO_SCHOOLS.find((s) => s.id === schoolId);
    const existing = await em.findOne(SchoolRecord, { id: schoolId });
    const instanceUrls = { peopleUrl: urls.people ?? null, scheduleUrl: urls.schedule ?? null, journalUrl: urls.journal ?? null };
    if (existing) Object.assign(existing, instanceUrls);
    else
      em.create(SchoolRecord, {
        id: schoolId,
        fullName: known?.fullName ?? `Школа ${schoolId}`,
        shortName: known?.shortName ?? `Школа ${schoolId}`,
        address: known?.address ?? 'адрес не указан',
        director: known?.director ?? null,
        status: 'LIVE',
        ...instanceUrls,
      } as never);
    await em.flush();
  };

  const startSchool = async (schoolId: string) => {
    const name = `${options.databasePrefix}_${schoolId}`;
    if (!databases.includes(name)) databases.push(name);
    const base = options.peopleBasePort ? options.peopleBasePort + Number(schoolId.slice(1)) - 1 : 0;
    const wanted = ports.get(schoolId) ?? { people: base, schedule: base && base + 100, journal: base && base + 200 };
    const databaseUrl = await createDatabase(name);
    const instance = await startSchoolInstance({ schoolId, databaseUrl, auth, production: options.production ?? false, ports: wanted, log: (e) => log(String(e)) });
    ports.set(schoolId, { people: instance.people.port, schedule: instance.schedule.port, journal: instance.journal.port });
    schools.set(schoolId, instance);
    if (options.studentsPerClass) {
      const { students } = await seedDemoPeople(instance.em(), { schoolId, studentsPerClass: options.studentsPerClass });
      log(`${schoolId}: ${students} students`);
    }
    if (options.timetable) {
      const { lessons } = await seedDemoSchedule(instance.schedule.em(), { schoolId });
      log(`${schoolId}: ${lessons} lessons`);
    }
    if (options.journalHistory) {
      const { marks, attendance } = await seedDemoJournal(instance.journal.em(), { schoolId });
      log(`${schoolId}: ${marks} marks, ${attendance} attendance entries`);
    }
    return instance;
  };

  for (const schoolId of options.schools) {
    const instance = await startSchool(schoolId);
    await registerSchool(schoolId, instance.urls);
  }

  const gateway = await startGateway(
    {
      port: options.gatewayPort ?? 0,
      host: '127.0.0.1',
      production: options.production ?? false,
      keycloakUrl: options.keycloakUrl,
      realm: 'district',
      audience: 'district-api',
      monitoringUrl: monitoring.url,
      gatewayClientId: 'district-gateway',
      gatewayClientSecret: 'district-gateway-secret',
      schoolTimeoutMs: options.schoolTimeoutMs ?? 3_000,
      registryRefreshMs: options.registryRefreshMs ?? 30_000,
      limits: { ...DEFAULT_LIMITS, ...options.limits },
    },
    { log },
  );
  gatewayUrl = gateway.url;

  return {
    gateway,
    monitoring,
    schools,
    startSchool,
    registerSchool,
    stopSchool: async (schoolId) => {
      await schools.get(schoolId)?.close();
      schools.delete(schoolId);
    },
    close: async ({ dropDatabases = false } = {}) => {
      await gateway.close();
      for (const service of schools.values()) await service.close();
      await monitoring.close();
      if (dropDatabases) for (const name of databases) await dropDatabase(name);
    },
  };
}

import { createDatabase, dropDatabase } from '@district/kit/testing';
import { startGateway, type GatewayConfig, type RunningGateway, DEFAULT_LIMITS } from '@district/gateway';
import { SchoolRecord, startMonitoring, type MonitoringService } from '@district/monitoring';
import { startIdentity, type IdentityService } from '@district/identity';
import { startPortal, type PortalSubgraph } from '@district/portal';
import { authSettings, tokenUrlOf } from '@district/kit';
import { DEMO_IDENTITY_KEY_SECRET } from '@district/people';
import { DEMO_SCHOOLS } from './seed/demo-users';
import { seedDemoJournal } from './seed/seed-journal';
import { seedDemoPeople } from './seed/seed-people';
import { seedDemoSchedule } from './seed/seed-schedule';
import { composeRealm } from '@district/infra';
import { startSchoolInstance, type SchoolInstance, type SchoolUrls } from './school-instance';

/**
 * The localhost ports the demo realm admits as the web app's origin
 * (`district-web`'s web origins): the browser calls Keycloak's token endpoint
 * with CORS, and Keycloak has no port wildcard for web origins, so a gateway
 * serving the app elsewhere cannot log in.
 */
export function demoWebPorts(): number[] {
  const web = composeRealm('demo', { hashPasswords: false }).clients?.find((c) => c.clientId === 'district-web');
  const ports = (web?.webOrigins ?? []).map((origin) => /^http:\/\/localhost:(\d+)$/.exec(origin)?.[1]).filter((p): p is string => p !== undefined);
  return [...new Set(ports.map(Number))];
}

export interface DistrictOptions {
  /** School codes to run, e.g. ['s001', 's002', 's003']. */
  schools: string[];
  /** Databases are named `<prefix>` (district) and `<prefix>_<school>`. */
  databasePrefix: string;
  keycloakUrl: string;
  gatewayPort?: number;
  monitoringPort?: number;
  identityPort?: number;
  portalPort?: number;
  /** Where identity reaches Keycloak's Admin API (default keycloakUrl; tests put a cuttable proxy there). */
  identityKeycloakUrl?: string;
  /** Told before each of identity's Keycloak calls (a test cuts the proxy at a chosen step). */
  beforeIdentityKeycloakCall?: (call: string) => void | Promise<void>;
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
  /** The built web app (clients/web/dist) the gateway serves at `/` (its WEB_ROOT); default none. */
  webRoot?: string;
  log?: (message: string) => void;
}

export interface District {
  gateway: RunningGateway;
  monitoring: MonitoringService;
  identity: IdentityService;
  portal: PortalSubgraph;
  schools: Map<string, SchoolInstance>;
  /** Starts (or restarts) a school's instances on their previous ports, migrating and seeding its database. */
  startSchool(schoolId: string): Promise<SchoolInstance>;
  stopSchool(schoolId: string): Promise<void>;
  /** Adds the school to the registry directly (the bootstrap path; the API path is the registerSchool mutation). */
  registerSchool(schoolId: string, urls: Partial<SchoolUrls>): Promise<void>;
  /** What runs, in start order (monitoring, identity, portal, each school, the gateway): a process lifecycle stops them in reverse, naming any that hangs. */
  parts(): { name: string; close(): Promise<void> }[];
  /** Stops the parts in reverse start order: the gateway first (its requests in flight still reach the schools), monitoring last. */
  close(options?: { dropDatabases?: boolean }): Promise<void>;
}

/**
 * A district in one process: the district database and monitoring subgraph,
 * per school its people, schedule and journal instances on the school's own
 * database, and the gateway. Used by the
 * demo and by the end-to-end tests; each part is the same code a production
 * process runs from its own `server.ts`.
 */
/** A service's log entry as one line: an error with its first stack frame and its cause (tests show these). */
function describe(entry: unknown): string {
  if (!(entry instanceof Error)) return String(entry);
  const frame =
    entry.stack
      ?.split('\n')
      .find((l) => l.trim().startsWith('at '))
      ?.trim() ?? '';
  const cause = entry.cause === undefined ? '' : ` (cause: ${describe(entry.cause)})`;
  return `${entry.name}: ${entry.message} ${frame}${cause}`;
}

export async function startDistrict(options: DistrictOptions): Promise<District> {
  const log = options.log ?? (() => undefined);
  const auth = authSettings(options.keycloakUrl, 'district', 'district-api');
  const databases: string[] = [];
  const ports = new Map<string, { people: number; schedule: number; journal: number }>();
  const schools = new Map<string, SchoolInstance>();

  const districtDb = options.databasePrefix;
  // Monitoring collects through the gateway, which starts after it (it reads the registry from monitoring).
  let gatewayUrl: string | undefined;
  const districtDatabaseUrl = await createDatabase(districtDb);
  const monitoring = await startMonitoring(
    {
      port: options.monitoringPort ?? 0,
      databaseUrl: districtDatabaseUrl,
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
    { log: (e) => log(describe(e)) },
  );
  databases.push(districtDb);
  // Identity administers Keycloak's accounts; it reads the schools' people through the gateway, with the caller's token.
  const identity = await startIdentity(
    {
      port: options.identityPort ?? 0,
      databaseUrl: districtDatabaseUrl,
      production: options.production ?? false,
      auth,
      keycloak: {
        url: options.identityKeycloakUrl ?? options.keycloakUrl,
        realm: 'district',
        clientId: 'district-identity',
        clientSecret: 'district-identity-secret',
        timeoutMs: 5_000,
      },
      gatewayUrl: () => gatewayUrl,
      syncMinutes: 0,
      timezone: 'Europe/Moscow',
      // The demo's accounts are fixed at its start (demo/src/demo-accounts.ts); a test runs the nightly fix itself.
      nightlyFixAt: null,
    },
    { log: (e) => log(describe(e)), beforeKeycloakCall: options.beforeIdentityKeycloakCall },
  );

  // The state portal's questions: it asks the schools through the gateway with its own service account.
  const portal = await startPortal(
    {
      port: options.portalPort ?? 0,
      databaseUrl: districtDatabaseUrl,
      production: options.production ?? false,
      auth,
      gatewayUrl: () => gatewayUrl,
      tokenUrl: tokenUrlOf(options.keycloakUrl),
      clientId: 'district-portal',
      clientSecret: 'district-portal-secret',
      identityKeySecret: DEMO_IDENTITY_KEY_SECRET,
      timeoutMs: 15_000,
    },
    { log: (e) => log(describe(e)) },
  );

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
      });
    await em.flush();
  };

  const startSchool = async (schoolId: string) => {
    const name = `${options.databasePrefix}_${schoolId}`;
    if (!databases.includes(name)) databases.push(name);
    const base = options.peopleBasePort ? options.peopleBasePort + Number(schoolId.slice(1)) - 1 : 0;
    const wanted = ports.get(schoolId) ?? { people: base, schedule: base && base + 100, journal: base && base + 200 };
    const databaseUrl = await createDatabase(name);
    const instance = await startSchoolInstance({
      schoolId,
      databaseUrl,
      auth,
      production: options.production ?? false,
      ports: wanted,
      log: (e) => log(describe(e)),
    });
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
      identityUrl: identity.url,
      portalUrl: portal.url,
      gatewayClientId: 'district-gateway',
      gatewayClientSecret: 'district-gateway-secret',
      schoolTimeoutMs: options.schoolTimeoutMs ?? 3_000,
      registryRefreshMs: options.registryRefreshMs ?? 30_000,
      limits: { ...DEFAULT_LIMITS, ...options.limits },
      webRoot: options.webRoot,
    },
    { log },
  );
  gatewayUrl = gateway.url;

  const parts = () => [
    { name: 'monitoring', close: () => monitoring.close() },
    { name: 'identity', close: () => identity.close() },
    { name: 'portal', close: () => portal.close() },
    ...[...schools.values()].map((school) => ({ name: `school ${school.id}`, close: () => school.close() })),
    { name: 'gateway', close: () => gateway.close() },
  ];
  return {
    gateway,
    monitoring,
    identity,
    portal,
    schools,
    startSchool,
    registerSchool,
    stopSchool: async (schoolId) => {
      await schools.get(schoolId)?.close();
      schools.delete(schoolId);
    },
    parts,
    close: async ({ dropDatabases = false } = {}) => {
      for (const part of parts().reverse()) await part.close();
      if (dropDatabases) for (const name of databases) await dropDatabase(name);
    },
  };
}

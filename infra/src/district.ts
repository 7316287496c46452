import { createDatabase, dropDatabase } from '@district/kit/testing';
import { startGateway, type GatewayConfig, type RunningGateway, DEFAULT_LIMITS } from '@district/gateway';
import { SchoolRecord, startMonitoring, type MonitoringService } from '@district/monitoring';
import { startPeople, type PeopleService } from '@district/people';
import { authSettings } from '@district/kit';
import { DEMO_SCHOOLS } from './demo/demo-users';
import { seedDemoPeople } from './demo/seed-people';

export interface DistrictOptions {
  /** School codes to run, e.g. ['s001', 's002', 's003']. */
  schools: string[];
  /** Databases are named `<prefix>` (district) and `<prefix>_<school>`. */
  databasePrefix: string;
  keycloakUrl: string;
  gatewayPort?: number;
  monitoringPort?: number;
  /** Port of s001's people instance; sNNN gets base + NNN - 1. 0 picks free ports. */
  peopleBasePort?: number;
  /** Students per class group in the demo roster; 0 leaves schools empty. */
  studentsPerClass?: number;
  schoolTimeoutMs?: number;
  registryRefreshMs?: number;
  limits?: Partial<GatewayConfig['limits']>;
  /** Production mode: no introspection, no landing page (gateway and subgraphs). */
  production?: boolean;
  log?: (message: string) => void;
}

export interface District {
  gateway: RunningGateway;
  monitoring: MonitoringService;
  schools: Map<string, PeopleService>;
  /** Starts (or restarts) a school's instance on its previous port, migrating and seeding its database. */
  startSchool(schoolId: string, port?: number): Promise<PeopleService>;
  stopSchool(schoolId: string): Promise<void>;
  /** Adds the school to the registry directly (the bootstrap path; the API path is the registerSchool mutation). */
  registerSchool(schoolId: string, peopleUrl: string): Promise<void>;
  close(options?: { dropDatabases?: boolean }): Promise<void>;
}

/**
 * A district in one process: the district database and monitoring subgraph,
 * one people instance (and database) per school, and the gateway. Used by the
 * demo and by the end-to-end tests; each part is the same code a production
 * process runs from its own `server.ts`.
 */
export async function startDistrict(options: DistrictOptions): Promise<District> {
  const log = options.log ?? (() => undefined);
  const auth = authSettings(options.keycloakUrl, 'district', 'district-api');
  const databases: string[] = [];
  const ports = new Map<string, number>();
  const schools = new Map<string, PeopleService>();

  const districtDb = options.databasePrefix;
  const monitoring = await startMonitoring({ port: options.monitoringPort ?? 0, databaseUrl: await createDatabase(districtDb), production: options.production ?? false, auth }, { log: (e) => log(String(e)) });
  databases.push(districtDb);

  const registerSchool = async (schoolId: string, peopleUrl: string) => {
    const em = monitoring.em();
    const known = DEMO_SCHOOLS.find((s) => s.id === schoolId);
    const existing = await em.findOne(SchoolRecord, { id: schoolId });
    if (existing) existing.peopleUrl = peopleUrl;
    else
      em.create(SchoolRecord, {
        id: schoolId,
        fullName: known?.fullName ?? `Школа ${schoolId}`,
        shortName: known?.shortName ?? `Школа ${schoolId}`,
        address: known?.address ?? 'адрес не указан',
        director: known?.director ?? null,
        status: 'LIVE',
        peopleUrl,
      } as never);
    await em.flush();
  };

  const startSchool = async (schoolId: string, port?: number) => {
    const name = `${options.databasePrefix}_${schoolId}`;
    if (!databases.includes(name)) databases.push(name);
    const basePort = options.peopleBasePort ?? 0;
    const wanted = port ?? ports.get(schoolId) ?? (basePort ? basePort + Number(schoolId.slice(1)) - 1 : 0);
    const service = await startPeople({ schoolId, port: wanted, databaseUrl: await createDatabase(name), production: options.production ?? false, auth, poolMax: 5 }, { log: (e) => log(String(e)) });
    ports.set(schoolId, service.port);
    schools.set(schoolId, service);
    if (options.studentsPerClass) {
      const { students } = await seedDemoPeople(service.em(), { schoolId, studentsPerClass: options.studentsPerClass });
      log(`${schoolId}: ${students} students`);
    }
    return service;
  };

  for (const schoolId of options.schools) {
    const service = await startSchool(schoolId);
    await registerSchool(schoolId, service.url);
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

import 'reflect-metadata';
import { adminUrl } from '@district/kit/testing';
import { loadConfig, z } from '@district/kit';
import { currentMonth, previousMonth } from '@district/monitoring';
import { startDistrict } from './district';
import { DEMO_LOGINS, DEMO_SCHOOLS } from './demo/demo-users';
import { ensureKeycloak, keycloakConfigFromEnv } from './keycloak';
import { ensurePostgres } from './postgres';

const schema = z.object({
  DEMO_GATEWAY_PORT: z.coerce.number().int().min(0).max(65535).default(4000),
  DEMO_MONITORING_PORT: z.coerce.number().int().min(0).max(65535).default(4100),
  DEMO_PEOPLE_BASE_PORT: z.coerce.number().int().min(0).max(65535).default(4101),
  DEMO_DATABASE_PREFIX: z.string().regex(/^[a-z][a-z0-9_]{0,40}$/).default('district'),
  DEMO_STUDENTS_PER_CLASS: z.coerce.number().int().min(1).max(40).default(12),
  DEMO_SCHOOLS: z.string().default(DEMO_SCHOOLS.map((s) => s.id).join(',')),
});

/**
 * `npm run demo`: PostgreSQL, Keycloak, the district database with its
 * registry, three school instances with their own seeded databases, and the
 * gateway. Ctrl-C stops what this run started; a second run reuses the
 * Keycloak download and the databases.
 */
async function main(): Promise<void> {
  const config = loadConfig(schema);
  const log = (line: string) => console.log(`[demo] ${line}`);
  await ensurePostgres(adminUrl(), log);
  const keycloak = await ensureKeycloak({ port: keycloakConfigFromEnv().port, log });
  log(`Keycloak ${keycloak.startedHere ? 'started' : 'reused'} at ${keycloak.url}`);
  const district = await startDistrict({
    schools: config.DEMO_SCHOOLS.split(',').map((s) => s.trim()),
    databasePrefix: config.DEMO_DATABASE_PREFIX,
    keycloakUrl: keycloak.url,
    gatewayPort: config.DEMO_GATEWAY_PORT,
    monitoringPort: config.DEMO_MONITORING_PORT,
    peopleBasePort: config.DEMO_PEOPLE_BASE_PORT,
    studentsPerClass: config.DEMO_STUDENTS_PER_CLASS,
    timetable: true,
    journalHistory: true,
    schoolTimeoutMs: 3_000,
    registryRefreshMs: 10_000,
    nightlyCollection: '03:00',
    log,
  });
  // The district's monitoring starts with figures: last month closed into a report, this month so far.
  const current = currentMonth('Europe/Moscow');
  for (const month of [previousMonth(current), current]) {
    const run = await district.monitoring.collector.collect(month, 'MANUAL', 'demo');
    log(`monitoring ${month}: ${run.outcomes.filter((o) => o.state === 'CURRENT').length}/${run.outcomes.length} schools collected${run.reportVersion ? `, report v${run.reportVersion}` : ''}`);
  }

  const lines = [
    '',
    'District e-journal demo is up.',
    `  Gateway (GraphQL):  ${district.gateway.url}`,
    `  Gateway health:     ${district.gateway.url.replace('/graphql', '/health')}`,
    `  Keycloak:           ${keycloak.url}/admin  (realm "district"; master admin: admin / admin)`,
    `  Monitoring:         ${district.monitoring.url}`,
    ...[...district.schools].map(([id, s]) => `  School ${id}:          people ${s.urls.people}  schedule ${s.urls.schedule}  journal ${s.urls.journal}`),
    '',
    `Demo logins (password "demo"): ${DEMO_LOGINS.join(', ')}`,
    '',
    'Get a token and ask the gateway (see README, "Try it"):',
    `  TOKEN=$(curl -s -d grant_type=password -d client_id=district-web -d username=s001.teacher -d password=demo ${keycloak.url}/realms/district/protocol/openid-connect/token | node -pe 'JSON.parse(require("fs").readFileSync(0)).access_token')`,
    `  curl -s ${district.gateway.url} -H "authorization: Bearer $TOKEN" -H 'content-type: application/json' -d '{"query":"{ classGroups(schoolId: \\"s001\\") { name studentCount } }"}'`,
    '',
    'DEMO READY. Press Ctrl-C to stop.',
  ];
  console.log(lines.join('\n'));

  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    log('stopping...');
    await district.close();
    await keycloak.stop();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());
}

main().catch((error) => {
  console.error(`[demo] failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});

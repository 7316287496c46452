import 'reflect-metadata';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { adminUrl } from '@district/kit/testing';
import { loadConfig, processLifecycle, z } from '@district/kit';
import { currentMonth, previousMonth } from '@district/monitoring';
import { demoWebPorts, startDistrict } from './district';
import { DEMO_LOGINS, DEMO_SCHOOLS, demoSnils, ROLE_CODES } from './seed/demo-users';
import { ensureKeycloak, ensurePostgres, keycloakConfigFromEnv, passwordToken } from '@district/infra';

// The demo's terminal shows its URLs and logins; one JSON line per request would bury them (LOG_LEVEL=info shows them).
process.env.LOG_LEVEL ??= 'warn';

const schema = z.object({
  DEMO_GATEWAY_PORT: z.coerce.number().int().min(0).max(65535).default(4000),
  DEMO_MONITORING_PORT: z.coerce.number().int().min(0).max(65535).default(4100),
  DEMO_IDENTITY_PORT: z.coerce.number().int().min(0).max(65535).default(4200),
  DEMO_PORTAL_PORT: z.coerce.number().int().min(0).max(65535).default(4300),
  DEMO_PEOPLE_BASE_PORT: z.coerce.number().int().min(0).max(65535).default(4101),
  DEMO_DATABASE_PREFIX: z
    .string()
    .regex(/^[a-z][a-z0-9_]{0,40}$/)
    .default('district'),
  DEMO_STUDENTS_PER_CLASS: z.coerce.number().int().min(1).max(40).default(12),
  DEMO_SCHOOLS: z.string().default(DEMO_SCHOOLS.map((s) => s.id).join(',')),
  /** `on`: once up, the demo gives every person of its schools an account through identity's provisioning (in the background). */
  DEMO_ACCOUNTS: z.enum(['on', 'off']).default('on'),
});

/** The web app's build (`npm run build` makes it through turbo); the gateway serves it at `/` when it is there. */
const WEB_DIST = resolve(__dirname, '..', '..', 'clients', 'web', 'dist');

/** A Keycloak started here gets its own 10 s grace to stop (then SIGKILL), so the deadline leaves room for it. */
const LIFECYCLE = { name: 'demo', deadlineMs: 20_000 };

/**
 * `npm run demo`: PostgreSQL, Keycloak, the district database with its
 * registry, three school instances with their own seeded databases, and the
 * gateway. Ctrl-C stops what this run started; a second run reuses the
 * Keycloak download and the databases.
 */
async function main(): Promise<void> {
  const config = loadConfig(schema);
  const log = (line: string) => console.log(`[demo] ${line}`);
  // The one signal handler of this process: it stops what started, last first.
  const lifecycle = processLifecycle(LIFECYCLE);
  const webRoot = existsSync(join(WEB_DIST, 'index.html')) ? WEB_DIST : undefined;
  await ensurePostgres(adminUrl(), log);
  const keycloak = await ensureKeycloak({ port: keycloakConfigFromEnv().port, log });
  lifecycle.add('keycloak', () => keycloak.stop());
  log(`Keycloak ${keycloak.startedHere ? 'started' : 'reused'} at ${keycloak.url}`);
  const district = await startDistrict({
    schools: config.DEMO_SCHOOLS.split(',').map((s) => s.trim()),
    databasePrefix: config.DEMO_DATABASE_PREFIX,
    keycloakUrl: keycloak.url,
    gatewayPort: config.DEMO_GATEWAY_PORT,
    monitoringPort: config.DEMO_MONITORING_PORT,
    identityPort: config.DEMO_IDENTITY_PORT,
    portalPort: config.DEMO_PORTAL_PORT,
    peopleBasePort: config.DEMO_PEOPLE_BASE_PORT,
    studentsPerClass: config.DEMO_STUDENTS_PER_CLASS,
    timetable: true,
    journalHistory: true,
    schoolTimeoutMs: 3_000,
    registryRefreshMs: 10_000,
    nightlyCollection: '03:00',
    webRoot,
    log,
  });
  for (const part of district.parts()) lifecycle.add(part.name, () => part.close());
  // The district's monitoring starts with figures: last month closed into a report, this month so far.
  const current = currentMonth('Europe/Moscow');
  for (const month of [previousMonth(current), current]) {
    const run = await district.monitoring.collector.collect(month, 'MANUAL', 'demo');
    log(
      `monitoring ${month}: ${run.outcomes.filter((o) => o.state === 'CURRENT').length}/${run.outcomes.length} schools collected${run.reportVersion ? `, report v${run.reportVersion}` : ''}`,
    );
  }

  const lines = [
    '',
    'District e-journal demo is up.',
    `  Gateway (GraphQL):  ${district.gateway.url}`,
    `  Gateway health:     ${district.gateway.url.replace('/graphql', '/health')}`,
    `  Keycloak:           ${keycloak.url}/admin  (realm "district"; master admin: admin / admin)`,
    `  Monitoring:         ${district.monitoring.url}`,
    `  Identity:           ${district.identity.url}  (accounts in Keycloak: sso.admin, the schools' directors)`,
    `  Portal:             ${district.portal.url}  (the state services portal's questions, docs/portal.md)`,
    ...[...district.schools].map(([id, s]) => `  School ${id}:          people ${s.urls.people}  schedule ${s.urls.schedule}  journal ${s.urls.journal}`),
    '',
    webRoot
      ? `Web app: ${district.gateway.url.replace(/graphql$/, '')}  (open it and log in with a demo login)`
      : `Web app: not built (${WEB_DIST}/index.html is missing): run \`npm run build\`, then \`npm run demo\` again`,
    ...(webRoot && !demoWebPorts().includes(district.gateway.port)
      ? [`  (the demo realm lets the web app log in only from http://localhost on ports ${demoWebPorts().join(', ')}: set DEMO_GATEWAY_PORT to one of them)`]
      : []),
    `Demo logins (password "demo"): ${DEMO_LOGINS.join(', ')}`,
    `  SNILS for the portal: s001.parent ${demoSnils(1, ROLE_CODES.parent)}, their child ${demoSnils(1, ROLE_CODES.student)}; parent.multi ${demoSnils(900, ROLE_CODES.parent)}, children ${demoSnils(900, ROLE_CODES.student, 1)} (s001), ${demoSnils(900, ROLE_CODES.student, 2)} (s002)`,
    `  e.g. npm run portal -- progress --applicant-snils '${demoSnils(1, ROLE_CODES.parent)}' --child-snils '${demoSnils(1, ROLE_CODES.student)}' --from ${currentMonth('Europe/Moscow')}-01 --to ${new Date().toISOString().slice(0, 10)}`,
    '',
    'Get a token and ask the gateway (see README, "Try it"):',
    `  TOKEN=$(curl -s -d grant_type=password -d client_id=district-web -d username=s001.teacher -d password=demo ${keycloak.url}/realms/district/protocol/openid-connect/token | node -pe 'JSON.parse(require("fs").readFileSync(0)).access_token')`,
    `  curl -s ${district.gateway.url} -H "authorization: Bearer $TOKEN" -H 'content-type: application/json' -d '{"query":"{ classGroups(schoolId: \\"s001\\") { name studentCount } }"}'`,
    '',
    'DEMO READY. Press Ctrl-C to stop.',
  ];
  console.log(lines.join('\n'));
  if (config.DEMO_ACCOUNTS === 'on') void provisionAccounts(district.gateway.url, [...district.schools.keys()], log);
}

const RUN = `id state created lines { outcome }`;

/**
 * Every person of the demo schools gets an account the way a district gives
 * them: district IT (sso.admin) runs identity's drift fix for each school
 * through the gateway (provisioning, and cleaning up accounts of an earlier
 * demo's people). In the background: creating hundreds of Keycloak users
 * takes minutes; the logins above work from the start. The temporary
 * passwords are in each run's report («Учётные записи» in the web app) for a day.
 */
async function provisionAccounts(gatewayUrl: string, schools: string[], log: (line: string) => void): Promise<void> {
  const ask = async (query: string, variables: Record<string, unknown>) => {
    const token = await passwordToken({ url: keycloakConfigFromEnv().url, username: 'sso.admin' });
    const response = await fetch(gatewayUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query, variables }),
    });
    const answer = (await response.json()) as {
      data?: Record<string, { id: string; state: string; created: number; lines: { outcome: string }[] }>;
      errors?: { message: string }[];
    };
    if (answer.errors?.length || !answer.data) throw new Error(answer.errors?.[0]?.message ?? `HTTP ${response.status}`);
    return Object.values(answer.data)[0]!;
  };
  for (const school of schools) {
    try {
      let run = await ask(`mutation($s: ID!, $key: String!) { fixAccountDrift(schoolId: $s, idempotencyKey: $key) { ${RUN} } }`, {
        s: school,
        key: `demo-${school}-${Date.now()}`,
      });
      while (run.state === 'QUEUED' || run.state === 'RUNNING') {
        await new Promise((resolve) => setTimeout(resolve, 2_000));
        run = await ask(`query($id: ID!) { accountRun(id: $id) { ${RUN} } }`, { id: run.id });
      }
      const existing = run.lines.filter((l) => l.outcome === 'EXISTING').length;
      log(`accounts ${school}: ${run.state}, ${run.created} created, ${existing} already there (temporary passwords: «Учётные записи» → the run's report)`);
    } catch (error) {
      log(`accounts ${school}: not provisioned (${error instanceof Error ? error.message : String(error)})`);
    }
  }
}

main().catch(async (error) => {
  console.error(`[demo] failed: ${error instanceof Error ? error.message : String(error)}`);
  // Stop what did start (a Keycloak started here runs in its own process group and would outlive us).
  await processLifecycle(LIFECYCLE).stop('start failed');
  process.exit(1);
});

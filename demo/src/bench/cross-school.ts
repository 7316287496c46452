import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { adminUrl, tokenFor } from '@district/kit/testing';
import { loadConfig, z } from '@district/kit';
import { currentMonth } from '@district/monitoring';
import { startDistrict } from '../district';
import { ensureKeycloak, ensurePostgres, keycloakConfigFromEnv } from '@district/infra';

// Measured requests should not pay for writing a log line each.
process.env.LOG_LEVEL ??= 'warn';

/**
 * Benchmark (prints figures, asserts nothing): one district query over N
 * schools against the same query for one school. The school router fans out
 * in parallel, so N schools should cost far less than N times one school.
 *
 *   npm run bench:cross-school -- (env BENCH_SCHOOLS=20 BENCH_RUNS=15)
 */
const config = loadConfig(
  z.object({
    BENCH_SCHOOLS: z.coerce.number().int().min(2).max(60).default(20),
    BENCH_RUNS: z.coerce.number().int().min(3).max(200).default(15),
    BENCH_STUDENTS_PER_CLASS: z.coerce.number().int().min(1).max(30).default(4),
  }),
);

async function timed(url: string, token: string, query: string, variables: Record<string, unknown>): Promise<{ ms: number; schools: number; errors: number }> {
  const start = performance.now();
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as { data?: Record<string, unknown>; errors?: unknown[] };
  const first = Object.values(body.data ?? {})[0];
  return { ms: performance.now() - start, schools: Array.isArray(first) ? first.length : first ? 1 : 0, errors: body.errors?.length ?? 0 };
}

function stats(samples: number[]): { median: number; p90: number } {
  const sorted = [...samples].sort((a, b) => a - b);
  return { median: sorted[Math.floor(sorted.length / 2)]!, p90: sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * 0.9))]! };
}

async function main(): Promise<void> {
  await ensurePostgres(adminUrl());
  const keycloak = await ensureKeycloak({ port: keycloakConfigFromEnv().port });
  const schools = Array.from({ length: config.BENCH_SCHOOLS }, (_, i) => `s${String(i + 1).padStart(3, '0')}`);
  const prefix = `bench_${randomBytes(3).toString('hex')}`;
  const started = performance.now();
  const district = await startDistrict({
    schools,
    databasePrefix: prefix,
    keycloakUrl: keycloak.url,
    studentsPerClass: config.BENCH_STUDENTS_PER_CLASS,
    timetable: true,
    journalHistory: true,
    schoolTimeoutMs: 10_000,
  });
  console.log(`district of ${schools.length} schools up in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  try {
    const token = await tokenFor('analyst');
    const month = currentMonth('Europe/Moscow');
    const collecting = performance.now();
    const run = await district.monitoring.collector.collect(month, 'MANUAL', 'bench');
    const current = run.outcomes.filter((o) => o.state === 'CURRENT').length;
    console.log(
      `collection of ${month} from ${schools.length} schools through the gateway: ${((performance.now() - collecting) / 1000).toFixed(2)} s, ${current} current`,
    );
    if (current !== schools.length) throw new Error(`collection left schools stale: ${JSON.stringify(run.outcomes)}`);
    const FIGURES = 'heldLessons shareWithTopic shareMarksSameDay averageMark';
    // Stored: the district's monitoring query, served from the figures monitoring collected (what analysts use).
    // Light: the router's live fan-out alone (a count per school). Live figures: each school computes its figures now (a heavy query per school).
    const cases = [
      {
        name: 'stored monitoring figures (monitoring)',
        one: `query($month: String!) { monitoring(month: $month, schoolIds: ["s001"]) { schoolId state figures { ${FIGURES} } } }`,
        every: `query($month: String!) { monitoring(month: $month) { schoolId state figures { ${FIGURES} } } }`,
      },
      ...[
        { name: 'live fan-out, light (studentCount)', fields: 'id studentCount' },
        { name: 'live fan-out, figures (monthlyFigures)', fields: `id studentCount monthlyFigures(month: $month) { ${FIGURES} }` },
      ].map((c) => {
        const vars = c.fields.includes('$month') ? '($month: String!)' : '';
        return { name: c.name, one: `query${vars} { school(id: "s001") { ${c.fields} } }`, every: `query${vars} { schools { ${c.fields} } }` };
      }),
    ];
    console.log(`runs: ${config.BENCH_RUNS} each, month ${month}, analyst token, ${schools.length} schools on one machine (one PostgreSQL, 2 cores)`);
    for (const c of cases) {
      const { one, every } = c;
      await timed(district.gateway.url, token, one, { month });
      await timed(district.gateway.url, token, every, { month });
      const single: number[] = [];
      const all: number[] = [];
      for (let i = 0; i < config.BENCH_RUNS; i++) {
        const a = await timed(district.gateway.url, token, one, { month });
        const b = await timed(district.gateway.url, token, every, { month });
        if (a.errors || b.errors || b.schools !== schools.length) throw new Error(`unexpected answer: ${JSON.stringify({ a, b })}`);
        single.push(a.ms);
        all.push(b.ms);
      }
      const s1 = stats(single);
      const sn = stats(all);
      console.log(`${c.name}:`);
      console.log(`  one school:   median ${s1.median.toFixed(1)} ms, p90 ${s1.p90.toFixed(1)} ms`);
      console.log(`  ${schools.length} schools:   median ${sn.median.toFixed(1)} ms, p90 ${sn.p90.toFixed(1)} ms`);
      console.log(`  ratio:        ${(sn.median / s1.median).toFixed(2)} × (serial would be about ${schools.length} ×)`);
    }
  } finally {
    await district.close({ dropDatabases: true });
    await keycloak.stop();
  }
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});

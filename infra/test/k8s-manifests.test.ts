/**
 * The Kubernetes manifests (k8s/): the district tier and every school overlay render with kustomize,
 * every document is valid against the Kubernetes API schema of its kind (k8s/tools/validate.mjs), and
 * every workload follows the rules the README promises: the one image, a compiled entry point as its
 * command, probes on the service port, requests and limits, non-root, secrets only by reference.
 * A school overlay made by `npm run k8s:school` renders and validates the same way, and s001 is exactly
 * that script's output. No cluster: rendering is offline and so is the validation.
 *
 * The renderer is `kubectl kustomize`. Where no kubectl is installed the test installs Debian's
 * kubernetes-client (kubectl 1.20) with apt-get when it runs as root, as the browser tests get Chromium;
 * the manifests keep to what that kubectl's kustomize knows (newer ones render them the same).
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { gatewayConfigFromEnv } from '@district/gateway';
import { peopleConfigFromEnv } from '@district/people';
import { portalConfigFromEnv } from '@district/portal';

const ROOT = path.resolve(__dirname, '..', '..');
const K8S = path.join(ROOT, 'k8s');
const IMAGE = 'registry.example/district-ejournal';
/** Names of values that are secrets (METRICS_TOKEN, not TOKEN_AUDIENCE or LIMIT_TOKENS). */
const SECRET_NAME = /PASSWORD|SECRET|TOKEN$|DATABASE_URL|PG_ADMIN_URL/;
/** A password inside a connection URL (user:password@host). */
const URL_WITH_PASSWORD = /:\/\/[^/\s:@]+:[^/\s@]+@/;

/** The parts of the manifests the checks read. */
interface Probe {
  httpGet?: { path?: string; port?: number | string };
}
interface EnvVar {
  name: string;
  value?: string;
  valueFrom?: { secretKeyRef?: { name: string; key: string }; configMapKeyRef?: { name: string; key: string } };
}
interface Container {
  name: string;
  image?: string;
  command?: string[];
  args?: string[];
  ports?: { name?: string; containerPort: number }[];
  env?: EnvVar[];
  envFrom?: { configMapRef?: { name: string }; secretRef?: { name: string } }[];
  resources?: { requests?: Record<string, string | number>; limits?: Record<string, string | number> };
  securityContext?: SecurityContext;
  readinessProbe?: Probe;
  livenessProbe?: Probe;
  volumeMounts?: { name: string; mountPath: string }[];
}
interface SecurityContext {
  runAsNonRoot?: boolean;
  runAsUser?: number;
  allowPrivilegeEscalation?: boolean;
  readOnlyRootFilesystem?: boolean;
}
interface PodTemplate {
  metadata?: { labels?: Record<string, string> };
  spec?: { automountServiceAccountToken?: boolean; securityContext?: SecurityContext; containers?: Container[]; initContainers?: Container[] };
}
interface Doc {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string> };
  spec?: {
    template?: PodTemplate;
    jobTemplate?: { spec?: { template?: PodTemplate } };
    schedule?: string;
    /** A Service's selector (labels) or a workload's (matchLabels). */
    selector?: Record<string, unknown>;
    ports?: { port?: number; targetPort?: number | string }[];
    /** A NetworkPolicy's. */
    podSelector?: { matchLabels?: Record<string, string> };
    ingress?: unknown[];
  };
  data?: Record<string, string>;
  stringData?: Record<string, string>;
}
interface Validation {
  apiVersion?: string;
  kind?: string;
  name?: string;
  problems: string[];
}

function onPath(name: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    if (dir !== '' && existsSync(path.join(dir, name))) return path.join(dir, name);
  }
  return undefined;
}

/** kubectl, installed from Debian's kubernetes-client when missing and we may (root, apt-get). */
function kubectl(): string {
  const found = onPath('kubectl');
  if (found) return found;
  if (process.getuid?.() === 0 && onPath('apt-get')) {
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
    for (const args of [
      ['update', '-qq'],
      ['install', '-y', '-qq', 'kubernetes-client'],
    ]) {
      const r = spawnSync('apt-get', args, { env, encoding: 'utf8', timeout: 300_000 });
      if (r.status !== 0) throw new Error(`apt-get ${args.join(' ')} failed (exit ${r.status}): ${r.stderr}`);
    }
    const installed = onPath('kubectl');
    if (installed) return installed;
  }
  throw new Error('kubectl is missing: the manifest test renders with `kubectl kustomize` (as root: apt-get install -y kubernetes-client)');
}

function render(dir: string): string {
  const r = spawnSync(kubectl(), ['kustomize', dir], { encoding: 'utf8', timeout: 60_000 });
  if (r.status !== 0) throw new Error(`kubectl kustomize ${dir} failed (exit ${r.status}): ${r.stderr}`);
  return r.stdout;
}

function validate(rendered: string): Validation[] {
  const r = spawnSync(process.execPath, [path.join(K8S, 'tools', 'validate.mjs')], { input: rendered, encoding: 'utf8', timeout: 120_000 });
  if (r.status !== 0 && r.status !== 1) throw new Error(`validate.mjs failed (exit ${r.status}): ${r.stderr}`);
  return JSON.parse(r.stdout) as Validation[];
}

function parse(rendered: string): Doc[] {
  return parseAllDocuments(rendered)
    .map((d) => d.toJS() as Doc | null)
    .filter((d): d is Doc => d !== null);
}

function problemsOf(results: Validation[]): string[] {
  return results.flatMap((r) => r.problems.map((p) => `${r.kind}/${r.name}: ${p}`));
}

/** The pod template of a workload (CronJob: its job's), or undefined for other kinds. */
function podTemplate(doc: Doc): PodTemplate | undefined {
  if (['Deployment', 'StatefulSet', 'DaemonSet', 'Job'].includes(doc.kind)) return doc.spec?.template ?? {};
  if (doc.kind === 'CronJob') return doc.spec?.jobTemplate?.spec?.template ?? {};
  return undefined;
}

function containersOf(doc: Doc): Container[] {
  const pod = podTemplate(doc)?.spec;
  return [...(pod?.initContainers ?? []), ...(pod?.containers ?? [])];
}

/** What a process gets for a Secret's key in the checks below: no value, only which Secret and key (URL-shaped, so a URL variable takes it too). */
function fromSecret(name: string, key: string): string {
  return `https://secret.invalid/${name}/${key}`;
}

/** A container's environment as its pod gets it: the ConfigMaps of envFrom, then its own env, each Secret key as fromSecret. */
function podEnv(docs: Doc[], c: Container): Record<string, string> {
  const env: Record<string, string> = {};
  for (const from of c.envFrom ?? []) {
    if (!from.configMapRef) throw new Error(`${c.name}: envFrom without configMapRef is not modelled here`);
    const map = docs.find((d) => d.kind === 'ConfigMap' && d.metadata.name === from.configMapRef!.name);
    if (!map) throw new Error(`${c.name}: no ConfigMap ${from.configMapRef.name}`);
    Object.assign(env, map.data);
  }
  for (const e of c.env ?? []) {
    const ref = e.valueFrom?.secretKeyRef;
    if (ref) env[e.name] = fromSecret(ref.name, ref.key);
    else if (e.value !== undefined) env[e.name] = e.value;
  }
  return env;
}

/** The Secrets (name → keys) a secret.template.yaml documents. */
function templateSecrets(file: string): Map<string, string[]> {
  const secrets = parse(readFileSync(file, 'utf8')).filter((d) => d.kind === 'Secret');
  return new Map(secrets.map((d) => [d.metadata.name, Object.keys(d.stringData ?? {})]));
}

function deployment(docs: Doc[], name: string): Doc {
  const found = docs.find((d) => d.kind === 'Deployment' && d.metadata.name === name);
  if (!found) throw new Error(`no Deployment ${name}`);
  return found;
}

function newSchool(args: string[]): { status: number | null; stdout: string; stderr: string } {
  return spawnSync(process.execPath, [path.join(K8S, 'tools', 'new-school.mjs'), ...args], { encoding: 'utf8', timeout: 30_000 });
}

/** What the README promises of every workload; one line per broken promise. */
function policyProblems(docs: Doc[]): string[] {
  const problems: string[] = [];
  const services = docs.filter((d) => d.kind === 'Service');
  for (const doc of docs) {
    const template = podTemplate(doc);
    if (template === undefined) continue;
    const pod = template.spec ?? {};
    const where = `${doc.kind}/${doc.metadata.name}`;
    const podLabels = template.metadata?.labels ?? {};
    if (pod.automountServiceAccountToken !== false) problems.push(`${where}: mounts a service account token`);
    if (containersOf(doc).length === 0) problems.push(`${where}: no containers`);
    for (const c of containersOf(doc)) {
      const at = `${where} container ${c.name}`;
      if (typeof c.image !== 'string' || !c.image.startsWith(`${IMAGE}:`)) problems.push(`${at}: image ${c.image} is not ${IMAGE}`);

      // The command is `node <compiled entry point>` of a TypeScript source in the repository.
      const [program, entry] = c.command ?? [];
      if (program !== 'node' || typeof entry !== 'string' || !/^[\w.-]+(\/[\w.-]+)*\/dist\/[\w./-]+\.js$/.test(entry)) {
        problems.push(`${at}: command ${JSON.stringify(c.command)} is not node <package>/dist/<entry>.js`);
      } else {
        const source = entry.replace(/\.js$/, '.ts');
        const candidates = [source.replace('/dist/', '/'), source.replace('/dist/', '/src/')];
        if (!candidates.some((f) => existsSync(path.join(ROOT, f)))) problems.push(`${at}: no source for ${entry} (${candidates.join(' or ')})`);
      }

      for (const kind of ['requests', 'limits'] as const) {
        for (const resource of ['cpu', 'memory']) {
          if (c.resources?.[kind]?.[resource] === undefined) problems.push(`${at}: no ${resource} ${kind}`);
        }
      }

      const runAsNonRoot = c.securityContext?.runAsNonRoot ?? pod.securityContext?.runAsNonRoot;
      const runAsUser = c.securityContext?.runAsUser ?? pod.securityContext?.runAsUser;
      if (runAsNonRoot !== true || !(typeof runAsUser === 'number' && runAsUser > 0)) problems.push(`${at}: may run as root`);
      if (c.securityContext?.allowPrivilegeEscalation !== false) problems.push(`${at}: allows privilege escalation`);
      if (c.securityContext?.readOnlyRootFilesystem !== true) problems.push(`${at}: writable root filesystem`);

      // Secrets only by reference; a value may name another variable ($(DATABASE_URL)) that is one.
      const fromSecret = new Set<string>();
      for (const e of c.env ?? []) {
        if (e.valueFrom?.secretKeyRef) fromSecret.add(e.name);
        else if (typeof e.value === 'string') {
          const refs = [...e.value.matchAll(/\$\((\w+)\)/g)].map((m) => m[1]);
          const onlySecretRefs = refs.length > 0 && refs.every((r) => fromSecret.has(r)) && e.value.replace(/\$\(\w+\)/g, '') === '';
          if (onlySecretRefs) fromSecret.add(e.name);
          else if (SECRET_NAME.test(e.name)) problems.push(`${at}: ${e.name} has an inline value`);
          if (URL_WITH_PASSWORD.test(e.value)) problems.push(`${at}: ${e.name} holds a password`);
        } else if (SECRET_NAME.test(e.name) && !e.valueFrom?.secretKeyRef) {
          problems.push(`${at}: ${e.name} is not from a Secret`);
        }
      }

      if (doc.kind === 'CronJob') continue; // runs to completion: no probes, no port
      const port = Number((c.env ?? []).find((e) => e.name === 'PORT')?.value);
      const portOf = (p: unknown) => (typeof p === 'number' ? p : (c.ports ?? []).find((x) => x.name === p)?.containerPort);
      if (!(port > 0) || !(c.ports ?? []).some((p) => p.containerPort === port)) problems.push(`${at}: PORT ${port} is not a container port`);
      for (const [probe, wanted] of [
        ['readinessProbe', '/ready'],
        ['livenessProbe', '/health'],
      ] as const) {
        const get = c[probe]?.httpGet;
        if (get?.path !== wanted || portOf(get?.port) !== port) {
          problems.push(`${at}: ${probe} is not GET ${wanted} on port ${port} (${JSON.stringify(c[probe] ?? null)})`);
        }
      }
      // Its Service sends traffic to that port.
      const service = services.find((s) => Object.entries(s.spec?.selector ?? {}).every(([k, v]) => podLabels[k] === v));
      const target = service?.spec?.ports?.[0]?.targetPort;
      if (!service || portOf(target) !== port) problems.push(`${at}: no Service targets port ${port}`);
    }
  }
  for (const doc of docs) {
    if (doc.kind === 'Secret') problems.push(`Secret/${doc.metadata.name}: rendered (secrets are created out of band)`);
    if (doc.kind === 'ConfigMap') {
      for (const [key, value] of Object.entries<string>(doc.data ?? {})) {
        if (SECRET_NAME.test(key) || URL_WITH_PASSWORD.test(value)) problems.push(`ConfigMap/${doc.metadata.name}: ${key} looks like a secret`);
      }
    }
  }
  return problems;
}

const TIERS = [
  'district',
  ...readdirSync(path.join(K8S, 'school', 'overlays'), { withFileTypes: true })
    .filter((e) => e.isDirectory())
    .map((e) => `school/overlays/${e.name}`),
];

describe('k8s manifests', () => {
  const rendered = new Map<string, string>();
  beforeAll(() => {
    for (const tier of TIERS) rendered.set(tier, render(path.join(K8S, tier)));
  });

  it('has the district tier and the example school', () => {
    expect(TIERS).toEqual(expect.arrayContaining(['district', 'school/overlays/s001']));
  });

  it.each(TIERS)('%s: every document is valid against its kind', (tier) => {
    const results = validate(rendered.get(tier)!);
    expect(problemsOf(results)).toEqual([]);
    expect(results.map((r) => r.kind)).toEqual(expect.arrayContaining(['Deployment', 'Service', 'NetworkPolicy', 'ConfigMap', 'Namespace']));
  });

  it.each(TIERS)('%s: workloads keep the rules (image, command, probes, resources, non-root, secrets)', (tier) => {
    const docs = parse(rendered.get(tier)!);
    expect(docs.filter((d) => podTemplate(d) !== undefined).length).toBeGreaterThanOrEqual(2);
    expect(policyProblems(docs)).toEqual([]);
  });

  it('uses one image, one tag, everywhere', () => {
    const images = new Set<string>();
    for (const text of rendered.values()) {
      for (const doc of parse(text)) for (const c of containersOf(doc)) images.add(String(c.image));
    }
    expect([...images]).toEqual([expect.stringMatching(new RegExp(`^${IMAGE}:[\\w.-]+$`))]);
  });

  it('backs a school up with the backup CLI of the image, into the PVC, keeping 14', () => {
    const docs = parse(rendered.get('school/overlays/s001')!);
    const cron = docs.find((d) => d.kind === 'CronJob' && d.metadata.name === 'db-backup')!;
    expect(cron.spec?.schedule).toBe('30 2 * * *');
    const [c] = containersOf(cron);
    expect(c.command).toEqual(['node', 'infra/dist/backup/backup-cli.js']);
    expect(c.args).toEqual(['--school=$(SCHOOL_ID)', '--database=district_$(SCHOOL_ID)', '--out=/backups', '--keep=14']);
    expect(c.volumeMounts).toContainEqual({ name: 'backups', mountPath: '/backups' });
    const env = new Map((c.env ?? []).map((e) => [e.name, e]));
    expect(env.get('PG_ADMIN_URL')?.value).toBe('$(DATABASE_URL)');
    expect(env.get('DATABASE_URL')?.valueFrom?.secretKeyRef).toEqual({ name: 'school-db', key: 'DATABASE_URL' });
  });

  it('gives the gateway the web app inside the image (WEB_ROOT under the Dockerfile WORKDIR)', () => {
    const gateway = parse(rendered.get('district')!).find((d) => d.kind === 'Deployment' && d.metadata.name === 'gateway')!;
    const env = containersOf(gateway)[0].env;
    expect(env).toContainEqual({ name: 'WEB_ROOT', value: '/app/clients/web/dist' });
    const dockerfile = readFileSync(path.join(ROOT, 'Dockerfile'), 'utf8');
    const runtime = dockerfile.slice(dockerfile.lastIndexOf('\nFROM '));
    expect(runtime).toMatch(/^WORKDIR \/app$/m);
    expect(runtime).toMatch(/^USER 1000:1000$/m); // the runAsUser of every pod
    // Every process's workspace gets its production dependencies in the image.
    const installed = [...dockerfile.matchAll(/ -w ([\w/.-]+)/g)].map((m) => m[1]);
    const workspaces = new Set<string>();
    for (const text of rendered.values()) {
      for (const doc of parse(text)) for (const c of containersOf(doc)) workspaces.add(String(c.command?.[1]).split('/dist/')[0]);
    }
    expect([...workspaces].filter((w) => !installed.includes(w))).toEqual([]);
    expect([...workspaces]).toEqual(
      expect.arrayContaining(['gateway', 'services/monitoring', 'services/identity', 'services/portal', 'services/people', 'infra']),
    );
    expect(workspaces.size).toBeGreaterThanOrEqual(8);
  });

  it("documents every Secret key a workload reads in its tier's secret.template.yaml", () => {
    const missing: string[] = [];
    for (const tier of TIERS) {
      const template = path.join(K8S, tier === 'district' ? 'district' : 'school/base', 'secret.template.yaml');
      const documented = templateSecrets(template);
      for (const doc of parse(rendered.get(tier)!)) {
        for (const c of containersOf(doc)) {
          for (const e of c.env ?? []) {
            const ref = e.valueFrom?.secretKeyRef;
            if (ref && !documented.get(ref.name)?.includes(ref.key)) missing.push(`${tier} ${doc.kind}/${doc.metadata.name}: ${ref.name}/${ref.key}`);
          }
        }
      }
    }
    expect(missing).toEqual([]);
  });

  it('runs the portal behind the gateway with everything production requires, its secrets by reference', () => {
    const docs = parse(rendered.get('district')!);
    const [portal] = containersOf(deployment(docs, 'portal'));
    expect(portal.command).toEqual(['node', 'services/portal/dist/src/server.js']);
    // The portal's own config, as in production: it refuses to start without its secrets.
    const config = portalConfigFromEnv(podEnv(docs, portal));
    expect(config).toMatchObject({
      production: true,
      port: 4300,
      host: '0.0.0.0',
      databaseUrl: fromSecret('monitoring-db', 'DATABASE_URL'),
      clientId: 'district-portal',
      clientSecret: fromSecret('portal-secrets', 'PORTAL_SERVICE_CLIENT_SECRET'),
      identityKeySecret: fromSecret('portal-secrets', 'IDENTITY_KEY_SECRET'),
      gatewayUrl: 'http://gateway:4000/graphql',
      timeoutMs: 15_000,
    });
    const withoutKey = podEnv(docs, { ...portal, env: portal.env!.filter((e) => e.name !== 'IDENTITY_KEY_SECRET') });
    expect(() => portalConfigFromEnv(withoutKey)).toThrow(/IDENTITY_KEY_SECRET: required when NODE_ENV=production/);

    // The gateway routes the portal subgraph to the portal's Service, and the portal reaches the gateway's.
    const [gateway] = containersOf(deployment(docs, 'gateway'));
    expect(gatewayConfigFromEnv(podEnv(docs, gateway)).portalUrl).toBe('http://portal:4300/graphql');
    const service = (name: string) => docs.find((d) => d.kind === 'Service' && d.metadata.name === name)!;
    expect(service('portal').spec?.selector).toEqual({ 'app.kubernetes.io/name': 'portal' });
    expect(service('portal').spec?.ports?.[0]?.port).toBe(4300);
    expect(service('gateway').spec?.ports?.[0]?.port).toBe(4000);

    // Only the gateway's pods reach it, on its port.
    const policies = docs.filter((d) => d.kind === 'NetworkPolicy' && d.spec?.podSelector?.matchLabels?.['app.kubernetes.io/name'] === 'portal');
    expect(policies.map((p) => p.spec?.ingress)).toEqual([
      [{ from: [{ podSelector: { matchLabels: { 'app.kubernetes.io/name': 'gateway' } } }], ports: [{ protocol: 'TCP', port: 4300 }] }],
    ]);
  });

  it.each(TIERS.filter((t) => t !== 'district'))("%s: people has the district's SNILS key secret, which production requires", (tier) => {
    const docs = parse(rendered.get(tier)!);
    const [people] = containersOf(deployment(docs, 'people'));
    const config = peopleConfigFromEnv(podEnv(docs, people));
    expect(config.identityKeySecret).toBe(fromSecret('identity-key', 'IDENTITY_KEY_SECRET'));
    const withoutKey = podEnv(docs, { ...people, env: people.env!.filter((e) => e.name !== 'IDENTITY_KEY_SECRET') });
    expect(() => peopleConfigFromEnv(withoutKey)).toThrow(/IDENTITY_KEY_SECRET: required when NODE_ENV=production/);
  });

  describe('a school overlay from npm run k8s:school', () => {
    let dir: string;
    beforeAll(() => {
      dir = mkdtempSync(path.join(tmpdir(), 'k8s-school-'));
    });
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    it('renders and validates, in the school namespace with its SCHOOL_ID and label', () => {
      const out = path.join(dir, 's004');
      const made = newSchool(['s004', '--name', 'Школа № 4', '--out', out]);
      expect(made.stderr).toBe('');
      expect(made.status).toBe(0);
      expect(made.stdout).toContain('peopleUrl: "http://people.school-s004.svc.cluster.local:4101/graphql"');

      const text = render(out);
      expect(problemsOf(validate(text))).toEqual([]);
      const docs = parse(text);
      expect(policyProblems(docs)).toEqual([]);
      expect(docs.find((d) => d.kind === 'Namespace')?.metadata.name).toBe('school-s004');
      expect(docs.filter((d) => d.kind !== 'Namespace').map((d) => `${d.kind}/${d.metadata.name} ${d.metadata.namespace}`)).toEqual(
        docs.filter((d) => d.kind !== 'Namespace').map((d) => `${d.kind}/${d.metadata.name} school-s004`),
      );
      expect(docs.find((d) => d.kind === 'ConfigMap')?.data?.SCHOOL_ID).toBe('s004');
      const unlabelled = docs.filter((d) => d.metadata.labels?.['district.example/school'] !== 's004').map((d) => `${d.kind}/${d.metadata.name}`);
      expect(unlabelled).toEqual([]);
      // Pods carry it too; selectors do not (they are immutable on a Deployment).
      const people = docs.find((d) => d.kind === 'Deployment' && d.metadata.name === 'people')!;
      expect(people.spec?.template?.metadata?.labels?.['district.example/school']).toBe('s004');
      expect(people.spec?.selector?.matchLabels).toEqual({ 'app.kubernetes.io/name': 'people' });
    });

    it('s001 is that script output (re-run it after changing the base)', () => {
      const out = path.join(dir, 's001');
      expect(newSchool(['s001', '--name', 'Школа № 1', '--out', out]).status).toBe(0);
      const committed = path.join(K8S, 'school', 'overlays', 's001');
      expect(readdirSync(committed).sort()).toEqual(readdirSync(out).sort());
      for (const file of readdirSync(out)) {
        const made = readFileSync(path.join(out, file), 'utf8').replace(/^ {2}- .*\/k8s\/school\/base$/m, '  - ../../base');
        expect(`${file}:\n${readFileSync(path.join(committed, file), 'utf8')}`).toBe(`${file}:\n${made}`);
      }
    });

    it('refuses a bad school code and an existing overlay', () => {
      const bad = newSchool(['school4', '--out', path.join(dir, 'bad')]);
      expect(bad.status).toBe(2);
      expect(bad.stderr).toContain('bad school code "school4"');
      expect(newSchool(['s005', '--out', path.join(dir, 's005')]).status).toBe(0);
      const again = newSchool(['s005', '--out', path.join(dir, 's005')]);
      expect(again.status).toBe(1);
      expect(again.stderr).toContain('already holds an overlay');
    });
  });

  it('fails a broken manifest: a misspelt field, a wrong type, an unknown kind, a missing probe, an inline secret', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'k8s-broken-'));
    try {
      cpSync(path.join(K8S, 'school'), path.join(dir, 'school'), { recursive: true });
      // TypeScript names one problem per document: the misspelt field goes into schedule, the rest into people.
      const schedule = path.join(dir, 'school', 'base', 'schedule.yaml');
      const scheduleText = readFileSync(schedule, 'utf8');
      expect(scheduleText).toContain('readinessProbe:');
      writeFileSync(schedule, scheduleText.replace('readinessProbe:', 'readinesProbe:'));
      const people = path.join(dir, 'school', 'base', 'people.yaml');
      const text = readFileSync(people, 'utf8');
      const broken = text
        .replace('containerPort: 4101', 'containerPort: "4101"')
        .replace(
          /- name: DATABASE_URL\n\s+valueFrom:\n\s+secretKeyRef:\n\s+name: school-db\n\s+key: DATABASE_URL/,
          '- name: DATABASE_URL\n              value: postgres://people:hunter2@db:5432/district_s001',
        );
      expect(broken).not.toBe(text);
      writeFileSync(people, `${broken}---\napiVersion: policy/v1\nkind: PodDisruptionBudge\nmetadata:\n  name: typo\nspec:\n  maxUnavailable: 1\n`);

      const rendered = render(path.join(dir, 'school', 'overlays', 's001'));
      const problems = problemsOf(validate(rendered)).join('\n');
      expect(problems).toContain('Deployment/schedule: field names: Object literal may only specify known properties, and \'"readinesProbe"\'');
      expect(problems).toContain('Deployment/people: data/spec/template/spec/containers/0/ports/0/containerPort must be integer');
      expect(problems).toContain('PodDisruptionBudge/typo: unknown kind PodDisruptionBudge of policy/v1');
      const policy = policyProblems(parse(rendered)).join('\n');
      expect(policy).toContain('Deployment/schedule container schedule: readinessProbe is not GET /ready');
      expect(policy).toContain('Deployment/people container people: DATABASE_URL has an inline value');
      expect(policy).toContain('Deployment/people container people: DATABASE_URL holds a password');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

import { runsSafelistedOnly, sendError, z } from '@district/kit';
import type { Request, RequestHandler } from 'express';
import { Kind, parse, type OperationDefinitionNode } from 'graphql';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { GatewayContext } from './context';

/** The committed manifest (PORTAL_OPERATIONS' default); the portal team's generator fills it. */
export const PORTAL_OPERATIONS_FILE = join(__dirname, '..', 'portal-operations.json');

export const PERSISTED_QUERY_NOT_ALLOWED = 'PERSISTED_QUERY_NOT_ALLOWED';

/** Why a portal request was refused (`extensions.reason`), for the integrator's logs. */
export type SafelistRefusal = 'METHOD' | 'BATCH' | 'UNKNOWN_OPERATION' | 'HASH_MISMATCH' | 'AD_HOC_QUERY';

const REFUSALS: Record<SafelistRefusal, string> = {
  METHOD: 'Порталу доступен только POST с JSON-телом операции из утверждённого списка',
  BATCH: 'Пакетные запросы (массив операций) порталу недоступны: отправляйте операции по одной',
  UNKNOWN_OPERATION: 'Операции с таким хешем нет в утверждённом списке операций портала',
  HASH_MISMATCH: 'Текст запроса не соответствует хешу extensions.persistedQuery.sha256Hash',
  AD_HOC_QUERY: 'Произвольные запросы порталу недоступны: передайте операцию из утверждённого списка (extensions.persistedQuery.sha256Hash)',
};

const manifestSchema = z.object({
  format: z.literal('apollo-persisted-query-manifest'),
  version: z.literal(1),
  operations: z.array(
    z.object({
      id: z.string().regex(/^[0-9a-f]{64}$/, 'must be a lowercase sha256 hex digest'),
      name: z.string().min(1),
      type: z.enum(['query', 'mutation', 'subscription']),
      body: z.string().min(1),
    }),
  ),
});

export type PortalOperation = z.infer<typeof manifestSchema>['operations'][number];

export const sha256Hex = (text: string): string => createHash('sha256').update(text, 'utf8').digest('hex');

/** The portal's only callable operations, by id (the sha256 of the body, as APQ hashes the query text). */
export class PortalSafelist {
  private readonly byId: ReadonlyMap<string, PortalOperation>;

  constructor(operations: readonly PortalOperation[]) {
    this.byId = new Map(operations.map((op) => [op.id, op]));
  }

  get size(): number {
    return this.byId.size;
  }

  /**
   * The manifest operation a request body names, by its persisted-query hash
   * (the query text then optional, and when present it must hash to the same
   * id) or by a query text whose sha256 is a manifest id; else why not.
   */
  resolve(body: unknown): PortalOperation | SafelistRefusal {
    if (Array.isArray(body)) return 'BATCH';
    const request = (typeof body === 'object' && body !== null ? body : {}) as { query?: unknown; extensions?: { persistedQuery?: { sha256Hash?: unknown } } };
    const hash = request.extensions?.persistedQuery?.sha256Hash;
    if (hash !== undefined) {
      const operation = typeof hash === 'string' ? this.byId.get(hash) : undefined;
      if (!operation) return 'UNKNOWN_OPERATION';
      if (request.query !== undefined && (typeof request.query !== 'string' || sha256Hex(request.query) !== hash)) return 'HASH_MISMATCH';
      return operation;
    }
    return (typeof request.query === 'string' && this.byId.get(sha256Hex(request.query))) || 'AD_HOC_QUERY';
  }
}

/**
 * Reads and checks the manifest: its shape, every id the sha256 of its body,
 * no id twice, every body one operation of the stated name and type. Any
 * problem stops the gateway's start, all of them listed: a manifest the
 * gateway half-understands would refuse the portal's calls one by one later.
 */
export function loadPortalSafelist(path: string = PORTAL_OPERATIONS_FILE): PortalSafelist {
  const fail = (problems: string[]): never => {
    throw new Error(`The portal's operation manifest ${path} (PORTAL_OPERATIONS) is not valid:\n${problems.map((p) => `  ${p}`).join('\n')}`);
  };
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    return fail([(error as Error).message]);
  }
  const parsed = manifestSchema.safeParse(raw);
  if (!parsed.success) return fail(parsed.error.issues.map((i) => `${i.path.join('.') || '(manifest)'}: ${i.message}`));
  const problems: string[] = [];
  const seen = new Set<string>();
  parsed.data.operations.forEach((op, index) => {
    const where = `operations.${index} (${op.name})`;
    const actual = sha256Hex(op.body);
    if (op.id !== actual) problems.push(`${where}: id ${op.id} is not the sha256 of its body (${actual})`);
    if (seen.has(op.id)) problems.push(`${where}: id ${op.id} appears twice`);
    seen.add(op.id);
    const problem = operationProblem(op);
    if (problem) problems.push(`${where}: ${problem}`);
  });
  if (problems.length) fail(problems);
  return new PortalSafelist(parsed.data.operations);
}

function operationProblem(op: PortalOperation): string | undefined {
  let operations: OperationDefinitionNode[];
  try {
    operations = parse(op.body).definitions.filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
  } catch (error) {
    return `body is not a GraphQL document (${(error as Error).message})`;
  }
  if (operations.length !== 1) return `body must hold exactly one operation, it holds ${operations.length}`;
  const [only] = operations;
  if (only!.name?.value !== op.name || only!.operation !== op.type)
    return `body is ${only!.operation} ${only!.name?.value ?? '(anonymous)'}, not ${op.type} ${op.name}`;
  return undefined;
}

/**
 * The Keycloak client a portal-role token was issued to (`azp`), the key of
 * its rate limit; undefined for every other token. The token was verified
 * before this runs, so its payload is read, not checked again.
 */
export function portalClientOf(req: Request): string | undefined {
  const { viewer, token } = (req as Request & { district: GatewayContext }).district;
  if (!runsSafelistedOnly(viewer)) return undefined;
  try {
    const { azp } = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8')) as { azp?: unknown };
    if (typeof azp === 'string' && azp) return azp;
  } catch {
    // A verified token always has a JSON payload; fall through to the subject anyway.
  }
  return `sub:${viewer.subject}`;
}

/**
 * Runs after the token is verified and the body parsed, before Apollo: a
 * portal token's request goes on only when it names a manifest operation,
 * carrying the manifest's text (so Apollo executes exactly that body); any
 * other is refused with 400 before any subgraph is called. Other tokens pass
 * untouched.
 */
export function portalSafelist(safelist: PortalSafelist): RequestHandler {
  return (req, res, next) => {
    const { viewer } = (req as Request & { district: GatewayContext }).district;
    if (!runsSafelistedOnly(viewer)) return next();
    const resolved = req.method === 'POST' ? safelist.resolve(req.body) : 'METHOD';
    if (typeof resolved === 'string') return sendError(res, 400, PERSISTED_QUERY_NOT_ALLOWED, REFUSALS[resolved], { reason: resolved });
    const body = req.body as { query?: string; extensions?: Record<string, unknown> };
    body.query = resolved.body;
    // Resolved here: Apollo's own APQ step (its cache, its version check) has nothing left to do.
    if (body.extensions) {
      delete body.extensions.persistedQuery;
      if (Object.keys(body.extensions).length === 0) delete body.extensions;
    }
    next();
  };
}

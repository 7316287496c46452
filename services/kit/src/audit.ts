import { createHash } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';

/**
 * An append-only, hash-chained audit log in a service's schema. Each row's
 * hash covers its content and the previous row's hash, so changing or
 * deleting a row by hand (bypassing the app) breaks the chain at that row.
 * Rows are written in the same transaction as the change they describe.
 */

export interface AuditEntry {
  actor: string | null;
  actorName: string;
  entity: string;
  entityId: number | string;
  action: string;
  old: unknown;
  new: unknown;
  reason?: string | null;
  requestId: string;
  client: string;
}

/** SQL for the audit table of a schema; the database itself refuses UPDATE, DELETE and TRUNCATE. */
export function auditTableSql(schema: string): string[] {
  return [
    `create table ${schema}.audit (
      id bigint primary key,
      at timestamptz not null,
      actor uuid,
      actor_name varchar(100) not null,
      entity varchar(40) not null,
      entity_id varchar(60) not null,
      action varchar(40) not null,
      old jsonb,
      new jsonb,
      reason text,
      request_id varchar(100) not null,
      client varchar(200) not null,
      prev_hash char(64) not null,
      hash char(64) not null
    )`,
    `create sequence ${schema}.audit_id_seq owned by ${schema}.audit.id`,
    `create index audit_entity_idx on ${schema}.audit (entity, entity_id, id)`,
    `create function ${schema}.audit_append_only() returns trigger language plpgsql as $$
      begin raise exception 'audit is append-only: % refused', tg_op; end $$`,
    `create trigger audit_no_update before update or delete on ${schema}.audit for each row execute function ${schema}.audit_append_only()`,
    `create trigger audit_no_truncate before truncate on ${schema}.audit for each statement execute function ${schema}.audit_append_only()`,
  ];
}

const GENESIS = '0'.repeat(64);

/** JSON with object keys sorted at every level, so the same value always hashes the same. */
export function canonicalJson(value: unknown): string {
  if (value === undefined) return 'null';
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (value instanceof Date) return JSON.stringify(value.toISOString());
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

interface AuditRow {
  id: string;
  at: Date;
  actor: string | null;
  actor_name: string;
  entity: string;
  entity_id: string;
  action: string;
  old: unknown;
  new: unknown;
  reason: string | null;
  request_id: string;
  client: string;
  prev_hash: string;
  hash: string;
}

function hashOf(row: Omit<AuditRow, 'hash'>): string {
  const content = canonicalJson({
    id: String(row.id),
    at: new Date(row.at).toISOString(),
    actor: row.actor,
    actorName: row.actor_name,
    entity: row.entity,
    entityId: String(row.entity_id),
    action: row.action,
    old: row.old ?? null,
    new: row.new ?? null,
    reason: row.reason ?? null,
    requestId: row.request_id,
    client: row.client,
  });
  return createHash('sha256').update(`${row.prev_hash}\n${content}`).digest('hex');
}

export interface AuditVerification {
  ok: boolean;
  rowsChecked: number;
  firstBrokenId: string | null;
  problem: string | null;
}

export class AuditLog {
  /** One advisory lock per schema serialises appends, so ids and the chain follow commit order. */
  private readonly lockKey: number;

  constructor(private readonly schema: string) {
    this.lockKey = createHash('sha256').update(`audit:${schema}`).digest().readInt32BE(0);
  }

  /** Appends a row; must run inside the transaction of the change it records. */
  async append(em: EntityManager, entry: AuditEntry): Promise<void> {
    const connection = em.getConnection();
    const tx = em.getTransactionContext();
    if (!tx) throw new Error('audit rows are written inside the transaction of the change');
    await connection.execute('select pg_advisory_xact_lock(?)', [this.lockKey], 'all', tx);
    const [last] = await connection.execute<{ hash: string }[]>(`select hash from ${this.schema}.audit order by id desc limit 1`, [], 'all', tx);
    const [{ id }] = await connection.execute<{ id: string }[]>(`select nextval('${this.schema}.audit_id_seq')::text as id`, [], 'all', tx);
    const row = {
      id,
      at: new Date(),
      actor: entry.actor,
      actor_name: entry.actorName.slice(0, 100),
      entity: entry.entity,
      entity_id: String(entry.entityId),
      action: entry.action,
      old: entry.old ?? null,
      new: entry.new ?? null,
      reason: entry.reason ?? null,
      request_id: entry.requestId,
      client: entry.client.slice(0, 200),
      prev_hash: last?.hash ?? GENESIS,
    };
    const hash = hashOf(row);
    await connection.execute(
      `insert into ${this.schema}.audit (id, at, actor, actor_name, entity, entity_id, action, old, new, reason, request_id, client, prev_hash, hash)
       values (?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?::jsonb, ?, ?, ?, ?, ?)`,
      [
        row.id,
        row.at,
        row.actor,
        row.actor_name,
        row.entity,
        row.entity_id,
        row.action,
        JSON.stringify(row.old),
        JSON.stringify(row.new),
        row.reason,
        row.request_id,
        row.client,
        row.prev_hash,
        hash,
      ],
      'all',
      tx,
    );
  }

  /** Walks the whole chain and names the first row whose content or link does not match. */
  async verify(em: EntityManager, batch = 2_000): Promise<AuditVerification> {
    const connection = em.getConnection();
    let previous = GENESIS;
    let after = '0';
    let checked = 0;
    for (;;) {
      const rows = await connection.execute<AuditRow[]>(`select * from ${this.schema}.audit where id > ? order by id limit ?`, [after, batch]);
      for (const row of rows) {
        checked++;
        if (row.prev_hash !== previous)
          return { ok: false, rowsChecked: checked, firstBrokenId: String(row.id), problem: 'chain link broken (a row before it was removed or altered)' };
        if (hashOf(row) !== row.hash)
          return { ok: false, rowsChecked: checked, firstBrokenId: String(row.id), problem: 'content does not match its hash (row altered)' };
        previous = row.hash;
        after = String(row.id);
      }
      if (rows.length < batch) return { ok: true, rowsChecked: checked, firstBrokenId: null, problem: null };
    }
  }

  /** The history of one entity, oldest first. */
  async history(em: EntityManager, entity: string, entityId: number | string): Promise<AuditRow[]> {
    return em
      .getConnection()
      .execute<AuditRow[]>(`select * from ${this.schema}.audit where entity = ? and entity_id = ? order by id`, [entity, String(entityId)]);
  }
}

export type { AuditRow };

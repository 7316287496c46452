import { createHash } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { canonicalJson } from './audit';
import { DomainError, ErrorCode } from './errors';

/** SQL for a schema's idempotency table: one stored answer per (person, key). */
export function idempotencyTableSql(schema: string): string[] {
  return [
    `create table ${schema}.idempotency (
      person_id uuid not null,
      key varchar(100) not null,
      operation varchar(60) not null,
      request_hash char(64) not null,
      response jsonb not null,
      created_at timestamptz not null default now(),
      primary key (person_id, key)
    )`,
    `create index idempotency_created_idx on ${schema}.idempotency (created_at)`,
  ];
}

const KEY = /^[A-Za-z0-9_.:-]{8,100}$/;

/** Refuses a malformed idempotency key (BAD_USER_INPUT naming the field). */
export function checkIdempotencyKey(key: string): void {
  if (!KEY.test(key))
    throw DomainError.invalid('Ключ идемпотентности: 8–100 символов A–Z, a–z, 0–9, _ . : -', [{ field: 'idempotencyKey', message: 'invalid key' }]);
}

/** The hash a stored answer is matched on: the operation and its request, canonically. */
export function requestHashOf(operation: string, request: unknown): string {
  return createHash('sha256')
    .update(`${operation}\n${canonicalJson(request)}`)
    .digest('hex');
}

/**
 * Runs a write once per idempotency key: the first call's answer is stored in
 * the same transaction as the write; a replay (a phone retrying) gets that
 * answer back and writes nothing. A concurrent replay waits on the key's row
 * and then sees the stored answer. The same key with a different request is a
 * CONFLICT.
 */
export class Idempotency {
  constructor(private readonly schema: string) {}

  async once<T>(
    em: EntityManager,
    scope: { personId: string; key: string; operation: string; request: unknown },
    write: (em: EntityManager) => Promise<T>,
  ): Promise<{ result: T; replayed: boolean }> {
    checkIdempotencyKey(scope.key);
    const requestHash = requestHashOf(scope.operation, scope.request);
    return em.transactional(async (tx) => {
      const connection = tx.getConnection();
      const ctx = tx.getTransactionContext();
      const claimed = await connection.execute<unknown[]>(
        `insert into ${this.schema}.idempotency (person_id, key, operation, request_hash, response) values (?, ?, ?, ?, 'null'::jsonb)
         on conflict (person_id, key) do nothing returning key`,
        [scope.personId, scope.key, scope.operation, requestHash],
        'all',
        ctx,
      );
      if (claimed.length === 0) {
        const [stored] = await connection.execute<{ operation: string; request_hash: string; response: T }[]>(
          `select operation, request_hash, response from ${this.schema}.idempotency where person_id = ? and key = ?`,
          [scope.personId, scope.key],
          'all',
          ctx,
        );
        if (!stored || stored.operation !== scope.operation || stored.request_hash !== requestHash) {
          throw new DomainError(ErrorCode.Conflict, 'Этот ключ идемпотентности уже использован для другого запроса');
        }
        return { result: stored.response, replayed: true };
      }
      const result = await write(tx);
      await connection.execute(
        `update ${this.schema}.idempotency set response = ?::jsonb where person_id = ? and key = ?`,
        [JSON.stringify(result ?? null), scope.personId, scope.key],
        'all',
        ctx,
      );
      return { result, replayed: false };
    });
  }
}

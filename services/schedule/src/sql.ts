import type { EntityManager } from '@mikro-orm/postgresql';

/**
 * A raw statement on the EntityManager's connection, inside its transaction
 * when it has one (MikroORM's `execute` would otherwise take another pooled
 * connection). Parameters are `?`; an array parameter expands to a list, so
 * write `in (?)` and never pass an empty array.
 */
export function query<T>(em: EntityManager, sql: string, params: unknown[] = []): Promise<T[]> {
  return em.getConnection().execute<T[]>(sql, params, 'all', em.getTransactionContext());
}

/**
 * Serializes writers of one thing (a class group's slots, a teacher's slots,
 * the bell schedule) until the transaction ends, so check-then-write rules
 * that no unique index can express hold under concurrency.
 */
export async function lockFor(em: EntityManager, scope: string, id = 0): Promise<void> {
  await query(em, `select pg_advisory_xact_lock(hashtext(?), ?)`, [`schedule.${scope}`, id]);
}

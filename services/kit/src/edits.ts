import { OptimisticLockError, UniqueConstraintViolationException, type EntityName, type FilterQuery } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { DomainError } from './errors';

/**
 * Loads a row that an edit carrying `version` may change: NOT_FOUND when it is
 * gone, CONFLICT (with the current version) when someone changed it first.
 */
export async function findForEdit<T extends { version: number }>(
  em: EntityManager,
  entity: EntityName<T>,
  where: FilterQuery<T>,
  version: number,
  what: string,
  id: string,
  /** What the user should see of the current value when their edit is stale. */
  current?: (row: T) => Record<string, unknown>,
): Promise<T> {
  const row = await em.findOne(entity, where);
  if (!row) throw DomainError.notFound(what, id);
  if (row.version !== version) throw DomainError.conflict('Данные изменены другим пользователем; обновите страницу', { version: row.version, ...current?.(row) });
  return row;
}

/**
 * Flushes, explaining the database's refusals: a unique constraint becomes
 * DUPLICATE (a concurrent twin slipped past the checks), a lost optimistic
 * lock becomes CONFLICT.
 */
export async function flushExplained(em: EntityManager, duplicateMessage: string): Promise<void> {
  try {
    await em.flush();
  } catch (error) {
    if (error instanceof UniqueConstraintViolationException) throw DomainError.duplicate(duplicateMessage);
    if (error instanceof OptimisticLockError) throw DomainError.conflict('Данные изменены другим пользователем; обновите страницу');
    throw error;
  }
}

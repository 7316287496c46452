import { OptimisticLockError, UniqueConstraintViolationException, type EntityName, type FilterQuery } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { DomainError } from './errors';

/**
 * What an edit of one row needs besides its version: who may change it, and
 * what of it a caller whose edit is stale sees.
 */
export interface EditAccess<T> {
  /**
   * Throws unless the caller may change this row. It runs before the version
   * is compared, so a CONFLICT (and the current value it carries) only ever
   * reaches a caller who may change, and so read, the row.
   */
  authorize: (row: T) => unknown;
  /** What an authorized caller sees of the current value when their edit is stale. */
  current?: (row: T) => Record<string, unknown>;
}

/**
 * Loads a row that an edit carrying `version` may change: NOT_FOUND when it is
 * gone, then the caller's right to change it (`access.authorize`), then
 * CONFLICT (with the current version) when someone changed it first.
 * Without `access` the caller's role must already be checked, before this
 * call, so that only those allowed to change any such row reach it; the
 * CONFLICT then carries the version alone.
 */
export async function findForEdit<T extends { version: number }>(
  em: EntityManager,
  entity: EntityName<T>,
  where: FilterQuery<T>,
  version: number,
  what: string,
  id: string,
  access?: EditAccess<T>,
): Promise<T> {
  const row = await em.findOne(entity, where);
  if (!row) throw DomainError.notFound(what, id);
  await access?.authorize(row);
  if (row.version !== version)
    throw DomainError.conflict('Данные изменены другим пользователем; обновите страницу', { version: row.version, ...access?.current?.(row) });
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

import type { FilterQuery } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { AuditLog, DomainError, findForEdit, flushExplained, Idempotency } from '@district/kit';
import type { JournalContext } from './context';
import { CorrectionRequest, type CorrectionAction, type CorrectionTarget } from './corrections/correction-request.entity';
import { CorrectionType, EditOutcomeType } from './corrections/correction.type';
import type { EntryRules } from './lessons/entry-rules';
import type { LessonFact } from './lessons/lesson-facts';
import { createLoaders } from './loaders';

export const audit = new AuditLog('journal');
export const idempotency = new Idempotency('journal');

/**
 * What every journal write shares: one transaction, an idempotency key, and
 * an audit row per change written in that same transaction.
 */
export class JournalWrites {
  constructor(private readonly ctx: JournalContext) {}

  /** Runs `write` once per idempotency key, inside one transaction. */
  async once<T>(operation: string, key: string, request: unknown, author: string, write: (em: EntityManager) => Promise<T>): Promise<T> {
    const { result } = await idempotency.once(this.ctx.em, { personId: author, key, operation, request }, (tx) => inTransactionContext(this.ctx, tx, write));
    return result;
  }

  async audit(em: EntityManager, entity: string, entityId: number, action: string, old: unknown, now: unknown, reason?: string | null): Promise<void> {
    await audit.append(em, {
      actor: this.ctx.viewer.personId ?? null,
      actorName: this.ctx.viewer.username,
      entity,
      entityId,
      action,
      old,
      new: now,
      reason: reason ?? null,
      requestId: this.ctx.requestId,
      client: this.ctx.client,
    });
  }

  /** After the edit window: the change waits for a deputy (one pending request per entry). */
  async requestCorrection(
    em: EntityManager,
    target: CorrectionTarget,
    targetId: number,
    action: CorrectionAction,
    proposed: Record<string, unknown> | null,
    reason: string,
    author: string,
  ): Promise<EditOutcomeType> {
    const request = em.create(CorrectionRequest, {
      target,
      targetId,
      action,
      proposed,
      reason: reason.trim(),
      requestedBy: author,
      requestedAt: new Date(),
      status: 'PENDING',
    });
    await flushExplained(em, 'По этой записи уже есть запрос на исправление, ожидающий решения');
    await this.audit(em, 'CORRECTION', request.id, 'REQUEST', null, { target, targetId, action, proposed }, reason);
    return Object.assign(new EditOutcomeType(), { applied: false, correction: CorrectionType.from(request, this.ctx.schoolId) });
  }
}

/**
 * Loads a mark or attendance entry for an edit, in the order that tells
 * nobody more than they may know: NOT_FOUND, then whether the viewer may
 * change this entry (its lesson's teacher, or the director in a closed term),
 * and only then the version: a CONFLICT with the current value reaches no one
 * else. Callers check `rules.author()` first, so those who may change no
 * entry at all get FORBIDDEN before anything is loaded.
 */
export async function findEntryForEdit<T extends { version: number; status: string; lessonId: number }>(
  em: EntityManager,
  rules: EntryRules,
  entity: new () => T,
  id: number,
  version: number,
  what: string,
  globalId: string,
  current: (row: T) => Record<string, unknown>,
): Promise<{ entry: T; fact: LessonFact }> {
  let fact: LessonFact | undefined;
  const authorize = async (row: T) => {
    fact = await rules.lesson(row.lessonId, globalId);
    await rules.requireEditor(fact);
  };
  const entry = await findForEdit(em, entity, { id } as FilterQuery<T>, version, what, globalId, { authorize, current });
  if (entry.status === 'WITHDRAWN') throw DomainError.conflict('Запись уже отозвана', { version: entry.version, ...current(entry) });
  return { entry, fact: fact! };
}

/**
 * While a write runs, every read of the request (rules, facts, loaders) goes
 * through its transaction: one connection per request, so waiting writers can
 * never exhaust the pool, and the rules see what the transaction sees.
 * Mutations of one request run one after another, so swapping is safe.
 */
export async function inTransactionContext<T>(ctx: JournalContext, tx: EntityManager, fn: (tx: EntityManager) => Promise<T>): Promise<T> {
  const outer = { em: ctx.em, loaders: ctx.loaders };
  ctx.em = tx;
  ctx.loaders = createLoaders(tx);
  try {
    return await fn(tx);
  } finally {
    ctx.em = outer.em;
    ctx.loaders = outer.loaders;
  }
}

/** Withdrawing keeps the entry (and its history): it only stops counting. */
export function markWithdrawn(entry: { status: string; updatedAt: Date }): void {
  entry.status = 'WITHDRAWN';
  entry.updatedAt = new Date();
}

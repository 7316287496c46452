import type { EntityManager } from '@mikro-orm/postgresql';
import { AuditLog, checkIdempotencyKey, DomainError, ErrorCode, requestHashOf, type AuditEntry } from '@district/kit';
import { IdentityError } from '../identity.errors';

export const identityAudit = new AuditLog('identity');

/** What one change did, for the audit (one row per account it touched) and the caller's answer. */
export interface ChangeOutcome<T> {
  result: T;
  audit: Omit<AuditEntry, 'actor' | 'actorName' | 'requestId' | 'client'>[];
}

export interface ChangeScope<P> {
  /** The caller (Keycloak subject): keys are theirs. */
  actor: string;
  actorName: string;
  key: string;
  operation: string;
  request: unknown;
  requestId: string;
  client: string;
  /** Decided once, at the first attempt, and kept for the retries (e.g. the username and temporary password of a new account). */
  plan?: () => Promise<P>;
}

interface ChangeRow {
  operation: string;
  request_hash: string;
  state: 'PENDING' | 'DONE';
  response: unknown;
  plan: unknown;
}

/**
 * Runs a change that spans Keycloak and the district database exactly once per
 * idempotency key. The key is claimed (PENDING) and committed first; then, holding
 * the key's row, the Keycloak steps run (each one converges: it does what is
 * still missing), and the audit rows, the account copy and the answer are
 * written in one transaction (DONE). If Keycloak fails midway the change stays
 * PENDING and the error says so; the same key resumes it from where it stands
 * (with the same plan), a replay of a DONE change answers what it answered.
 */
export class ChangeRunner {
  async run<T, P = undefined>(
    em: EntityManager,
    scope: ChangeScope<P>,
    steps: (tx: EntityManager, plan: P) => Promise<ChangeOutcome<T>>,
  ): Promise<{ result: T; replayed: boolean }> {
    checkIdempotencyKey(scope.key);
    const hash = requestHashOf(scope.operation, scope.request);
    const [known] = await em.getConnection().execute<unknown[]>(`select 1 from identity.change where actor = ? and key = ?`, [scope.actor, scope.key]);
    if (!known) {
      const plan = scope.plan ? await scope.plan() : undefined;
      await em.getConnection().execute(
        `insert into identity.change (actor, key, operation, request_hash, state, plan) values (?, ?, ?, ?, 'PENDING', ?::jsonb)
         on conflict (actor, key) do nothing`,
        [scope.actor, scope.key, scope.operation, hash, JSON.stringify(plan ?? null)],
      );
    }
    try {
      return await em.transactional(async (tx) => {
        const connection = tx.getConnection();
        const ctx = tx.getTransactionContext();
        // The row lock makes a concurrent retry of the same key wait, then replay.
        const [row] = await connection.execute<ChangeRow[]>(
          `select operation, request_hash, state, response, plan from identity.change where actor = ? and key = ? for update`,
          [scope.actor, scope.key],
          'all',
          ctx,
        );
        if (!row || row.operation !== scope.operation || row.request_hash !== hash) {
          throw new DomainError(ErrorCode.Conflict, 'Этот ключ идемпотентности уже использован для другого запроса');
        }
        if (row.state === 'DONE') return { result: row.response as T, replayed: true };
        const outcome = await steps(tx, row.plan as P);
        for (const entry of outcome.audit) {
          await identityAudit.append(tx, { ...entry, actor: scope.actor, actorName: scope.actorName, requestId: scope.requestId, client: scope.client });
        }
        await connection.execute(
          `update identity.change set state = 'DONE', response = ?::jsonb, finished_at = now(), last_error = null where actor = ? and key = ?`,
          [JSON.stringify(outcome.result ?? null), scope.actor, scope.key],
          'all',
          ctx,
        );
        return { result: outcome.result, replayed: false };
      });
    } catch (error) {
      if (error instanceof IdentityError && error.code === 'IDENTITY_UNAVAILABLE') {
        await em
          .getConnection()
          .execute(`update identity.change set attempts = attempts + 1, last_error = ? where actor = ? and key = ? and state = 'PENDING'`, [
            String(error.details.reason ?? 'unavailable'),
            scope.actor,
            scope.key,
          ]);
      } else if (error instanceof DomainError) {
        // A refusal (a rule, bad input): nothing was changed, so the key is free for a corrected request.
        await em.getConnection().execute(`delete from identity.change where actor = ? and key = ? and state = 'PENDING'`, [scope.actor, scope.key]);
      }
      throw error;
    }
  }
}

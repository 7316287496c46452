import { useRef, useState } from 'react';
import { useMutation } from 'urql';
import type { AnyVariables, CombinedError, DocumentInput } from '@urql/core';
import { newIdempotencyKey } from '../../api/idempotency';

/** Keycloak, or the school's people (read for a new account), did not answer. */
const RETRYABLE: ReadonlySet<unknown> = new Set(['IDENTITY_UNAVAILABLE', 'SCHOOL_UNAVAILABLE']);

/**
 * Keycloak or the school did not answer (IDENTITY_UNAVAILABLE,
 * SCHOOL_UNAVAILABLE), or the answer never came (network): the change may be
 * half done, and only the same key finishes it once. Any other refusal is
 * final for that key.
 */
export function isRetryable(error: CombinedError | undefined): boolean {
  if (!error) return false;
  if (error.networkError && error.graphQLErrors.length === 0) return true;
  return error.graphQLErrors.some((e) => RETRYABLE.has(e.extensions?.code));
}

export interface IdentityAction<Data, Input> {
  /** Sends a new action: a new idempotency key. */
  run(input: Input): Promise<Data | undefined>;
  /** Sends the last action again, with its key and its variables («Повторить»). */
  retry(): Promise<Data | undefined>;
  fetching: boolean;
  error: CombinedError | undefined;
  retryable: boolean;
  /** Forgets the last action and its error (the dialog was closed). */
  reset(): void;
}

/**
 * One identity mutation as the user acts: each action gets its own key, made
 * when the user confirms, and a retry after Keycloak's silence re-sends that
 * same key (the service then finishes the change once instead of doing it twice).
 */
export function useIdentityAction<Data, Variables extends AnyVariables & { idempotencyKey: string }>(
  document: DocumentInput<Data, Variables>,
): IdentityAction<Data, Omit<Variables, 'idempotencyKey'>> {
  const [state, execute] = useMutation<Data, Variables>(document);
  const attempt = useRef<Variables | undefined>(undefined);
  const [error, setError] = useState<CombinedError | undefined>();

  const send = async (variables: Variables) => {
    attempt.current = variables;
    setError(undefined);
    const result = await execute(variables);
    if (result.error || !result.data) {
      setError(result.error);
      return undefined;
    }
    attempt.current = undefined;
    return result.data;
  };

  return {
    run: (input) => send({ ...input, idempotencyKey: newIdempotencyKey() } as Variables),
    retry: () => (attempt.current ? send(attempt.current) : Promise.resolve(undefined)),
    fetching: state.fetching,
    error,
    retryable: isRetryable(error),
    reset: () => {
      attempt.current = undefined;
      setError(undefined);
    },
  };
}

import { useCallback, useEffect, useState } from 'react';
import { useClient, type Client } from 'urql';
import { graphql } from '../../gql';
import { openOfflineQueue, type OfflineQueue, type QueuedRequest, type Sender } from './offline-queue';
import type { TeacherEnterAttendanceMutationVariables, TeacherEnterMarksMutationVariables } from '../../gql/graphql';

export const TeacherEnterMarks = graphql(`
  mutation TeacherEnterMarks($lessonId: ID!, $marks: [MarkInput!]!, $idempotencyKey: String!) {
    enterMarks(lessonId: $lessonId, marks: $marks, idempotencyKey: $idempotencyKey) {
      id
    }
  }
`);

export const TeacherEnterAttendance = graphql(`
  mutation TeacherEnterAttendance($lessonId: ID!, $entries: [AttendanceInput!]!, $idempotencyKey: String!) {
    enterAttendance(lessonId: $lessonId, entries: $entries, idempotencyKey: $idempotencyKey) {
      id
    }
  }
`);

/** The app's one outbox (IndexedDB, shared by the teacher's pages). */
export const outbox: OfflineQueue = openOfflineQueue();

/** Sends a queued request through the app's GraphQL client and says what became of it. */
export function senderFor(client: Client): Sender {
  return async (item: QueuedRequest) => {
    // The stored variables are the request exactly as it was built for its kind (see JournalPage's onSave).
    const options = { requestPolicy: 'network-only' } as const;
    const result =
      item.kind === 'enterMarks'
        ? await client.mutation(TeacherEnterMarks, item.variables as TeacherEnterMarksMutationVariables, options).toPromise()
        : await client.mutation(TeacherEnterAttendance, item.variables as TeacherEnterAttendanceMutationVariables, options).toPromise();
    const error = result.error;
    if (!error) return { kind: 'sent' };
    const status = (error.response as Response | undefined)?.status;
    if (status === 401 || error.graphQLErrors.some((e) => e.extensions?.code === 'UNAUTHENTICATED')) return { kind: 'unauthenticated' };
    if (error.networkError && error.graphQLErrors.length === 0) return { kind: 'network' };
    return { kind: 'refused', message: error.graphQLErrors.map((e) => e.message).join('; ') };
  };
}

export { newIdempotencyKey } from '../../api/idempotency';

/**
 * The outbox as a page sees it: its items, kept current, and sent on mount
 * (app start) and whenever the browser comes back online.
 */
export function useOutbox() {
  const client = useClient();
  const [items, setItems] = useState<QueuedRequest[]>([]);
  const refresh = useCallback(() => void outbox.list().then(setItems, () => setItems([])), []);
  const flush = useCallback(() => outbox.flush(senderFor(client)), [client]);

  useEffect(() => {
    refresh();
    const unsubscribe = outbox.subscribe(refresh);
    void flush().catch(() => undefined);
    const online = () => void flush().catch(() => undefined);
    window.addEventListener('online', online);
    return () => {
      unsubscribe();
      window.removeEventListener('online', online);
    };
  }, [flush, refresh]);

  return { items, flush };
}

/** Calls back whenever the outbox has delivered something (e.g. to reload the grid). */
export function useOutboxDelivered(callback: () => void) {
  useEffect(() => outbox.subscribe((report) => report?.sent.length && callback()), [callback]);
}

import { openDB, type IDBPDatabase } from 'idb';

/**
 * The journal's outbox: whole-class entries the teacher saved while the
 * network was down (or whose save failed with a network error). Each item is
 * the exact request with its idempotency key, so sending it again after an
 * unknown outcome writes nothing twice. Items survive a reload (IndexedDB) and
 * are removed only when the server has answered.
 */
export type QueuedKind = 'enterMarks' | 'enterAttendance';

export interface QueuedRequest {
  /** The idempotency key: also the item's key in the store. */
  key: string;
  kind: QueuedKind;
  lessonId: string;
  /** The mutation's variables exactly as they will be sent (idempotencyKey included). */
  variables: Record<string, unknown>;
  queuedAt: string;
  /** Set when the server refused it (not resent; the teacher decides). */
  error?: string;
}

/** What became of one send. */
export type SendOutcome = { kind: 'sent' } | { kind: 'network' } | { kind: 'unauthenticated' } | { kind: 'refused'; message: string };

export type Sender = (item: QueuedRequest) => Promise<SendOutcome>;

export interface FlushReport {
  sent: QueuedRequest[];
  refused: QueuedRequest[];
  /** Stopped early: offline or signed out; the rest stays queued. */
  stopped?: 'network' | 'unauthenticated';
}

export interface OfflineQueue {
  add(item: Omit<QueuedRequest, 'queuedAt'>): Promise<void>;
  list(): Promise<QueuedRequest[]>;
  remove(key: string): Promise<void>;
  /** Sends every waiting item once, oldest first; flushes queue up behind each other. */
  flush(send: Sender): Promise<FlushReport>;
  /** Called after every change; with the flush's report when a flush sent or set aside items. */
  subscribe(listener: (report?: FlushReport) => void): () => void;
  close(): void;
}

const STORE = 'outbox';

export function openOfflineQueue(dbName = 'district-journal-outbox'): OfflineQueue {
  let db: Promise<IDBPDatabase> | undefined;
  const database = () =>
    (db ??= openDB(dbName, 1, {
      upgrade(d) {
        d.createObjectStore(STORE, { keyPath: 'key' });
      },
    }));
  const listeners = new Set<(report?: FlushReport) => void>();
  const changed = (report?: FlushReport) => listeners.forEach((l) => l(report));
  // Flushes run one after another: an item is deleted before the next pass reads the store, so none is sent twice.
  let last: Promise<unknown> = Promise.resolve();

  const list = async (): Promise<QueuedRequest[]> => {
    const all = (await (await database()).getAll(STORE)) as QueuedRequest[];
    return all.sort((a, b) => a.queuedAt.localeCompare(b.queuedAt) || a.key.localeCompare(b.key));
  };

  const flushOnce = async (send: Sender): Promise<FlushReport> => {
    const report: FlushReport = { sent: [], refused: [] };
    for (const item of await list()) {
      if (item.error) continue;
      const outcome = await send(item);
      if (outcome.kind === 'sent') {
        await (await database()).delete(STORE, item.key);
        report.sent.push(item);
      } else if (outcome.kind === 'refused') {
        const failed = { ...item, error: outcome.message };
        await (await database()).put(STORE, failed);
        report.refused.push(failed);
      } else {
        report.stopped = outcome.kind;
        break;
      }
    }
    if (report.sent.length || report.refused.length) changed(report);
    return report;
  };

  return {
    async add(item) {
      // Same key, same request: adding twice keeps one item.
      await (await database()).put(STORE, { ...item, queuedAt: new Date().toISOString() });
      changed();
    },
    list,
    async remove(key) {
      await (await database()).delete(STORE, key);
      changed();
    },
    flush(send) {
      const next = last.then(() => flushOnce(send));
      last = next.catch(() => undefined);
      return next;
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
      };
    },
    close() {
      void db?.then((d) => d.close());
      db = undefined;
    },
  };
}

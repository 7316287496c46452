import { useOutbox } from './use-outbox';

/**
 * Sends the teacher's waiting entries from wherever the app is open (and when
 * the browser comes back online or after a new login), not only from the
 * journal pages. Loaded lazily, for teachers only.
 */
export default function OutboxSync() {
  useOutbox();
  return null;
}

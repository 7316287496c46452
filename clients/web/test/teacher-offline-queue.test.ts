import { describe, expect, it } from 'vitest';
import { openOfflineQueue, type QueuedRequest, type Sender, type SendOutcome } from '../src/features/teacher/offline-queue';

let n = 0;
const freshName = () => `outbox-test-${++n}-${Date.now()}`;

const marks = (key: string) => ({
  key,
  kind: 'enterMarks' as const,
  lessonId: 'L1',
  variables: { lessonId: 'L1', marks: [{ studentId: 'S1', value: '5', controlForm: 'ORAL' }], idempotencyKey: key },
});

/** A fake server: remembers every request, answers by idempotency key (a replay writes nothing). */
function server(answer: (item: QueuedRequest) => SendOutcome = () => ({ kind: 'sent' })) {
  const received: QueuedRequest[] = [];
  const written = new Map<string, QueuedRequest>();
  const send: Sender = async (item) => {
    received.push(item);
    const outcome = answer(item);
    if (outcome.kind === 'sent' && !written.has(item.key)) written.set(item.key, item);
    return outcome;
  };
  return { send, received, written };
}

describe('the offline queue', () => {
  it('keeps a request with its key, sends it once and clears it', async () => {
    const queue = openOfflineQueue(freshName());
    await queue.add(marks('key-00000001'));
    expect((await queue.list()).map((i) => i.key)).toEqual(['key-00000001']);
    const api = server();
    const report = await queue.flush(api.send);
    expect(report.sent.map((i) => i.key)).toEqual(['key-00000001']);
    expect(api.received).toHaveLength(1);
    expect(api.received[0]!.variables).toEqual(marks('key-00000001').variables);
    expect(await queue.list()).toEqual([]);
    // Nothing left: a second flush sends nothing.
    await queue.flush(api.send);
    expect(api.received).toHaveLength(1);
    queue.close();
  });

  it('survives a reload: a new queue on the same IndexedDB finds the items and sends them', async () => {
    const name = freshName();
    const before = openOfflineQueue(name);
    await before.add(marks('key-00000002'));
    await before.add({
      ...marks('key-00000003'),
      kind: 'enterAttendance',
      variables: { lessonId: 'L1', entries: [{ studentId: 'S2', code: 'ABSENT' }], idempotencyKey: 'key-00000003' },
    });
    before.close();

    const after = openOfflineQueue(name);
    expect((await after.list()).map((i) => [i.key, i.kind])).toEqual([
      ['key-00000002', 'enterMarks'],
      ['key-00000003', 'enterAttendance'],
    ]);
    const api = server();
    await after.flush(api.send);
    expect(api.received.map((i) => i.key)).toEqual(['key-00000002', 'key-00000003']);
    expect(await after.list()).toEqual([]);
    after.close();
  });

  it('keeps an item whose send fails with a network error, and stops there', async () => {
    const queue = openOfflineQueue(freshName());
    await queue.add(marks('key-00000004'));
    await queue.add(marks('key-00000005'));
    let online = false;
    const api = server(() => (online ? { kind: 'sent' } : { kind: 'network' }));
    const offline = await queue.flush(api.send);
    expect(offline).toMatchObject({ sent: [], stopped: 'network' });
    expect(api.received).toHaveLength(1);
    expect((await queue.list()).map((i) => i.key)).toEqual(['key-00000004', 'key-00000005']);
    online = true;
    await queue.flush(api.send);
    expect([...api.written.keys()]).toEqual(['key-00000004', 'key-00000005']);
    expect(await queue.list()).toEqual([]);
    queue.close();
  });

  it('keeps the queue when the session has ended (401), and sends it after the next login', async () => {
    const queue = openOfflineQueue(freshName());
    await queue.add(marks('key-00000006'));
    let signedIn = false;
    const api = server(() => (signedIn ? { kind: 'sent' } : { kind: 'unauthenticated' }));
    expect(await queue.flush(api.send)).toMatchObject({ stopped: 'unauthenticated' });
    expect(await queue.list()).toHaveLength(1);
    signedIn = true;
    await queue.flush(api.send);
    expect(api.written.size).toBe(1);
    expect(await queue.list()).toEqual([]);
    queue.close();
  });

  it('does not double a replay: flushes at once send each item once, and the same key added twice is one item', async () => {
    const queue = openOfflineQueue(freshName());
    await queue.add(marks('key-00000007'));
    await queue.add(marks('key-00000007'));
    const api = server();
    await Promise.all([queue.flush(api.send), queue.flush(api.send), queue.flush(api.send)]);
    expect(api.received.map((i) => i.key)).toEqual(['key-00000007']);
    queue.close();
  });

  it('sets aside an item the server refused, with the reason, and does not resend it', async () => {
    const queue = openOfflineQueue(freshName());
    await queue.add(marks('key-00000008'));
    const api = server(() => ({ kind: 'refused', message: 'Урок отменён' }));
    const report = await queue.flush(api.send);
    expect(report.refused.map((i) => i.error)).toEqual(['Урок отменён']);
    await queue.flush(api.send);
    expect(api.received).toHaveLength(1);
    expect((await queue.list()).map((i) => i.error)).toEqual(['Урок отменён']);
    await queue.remove('key-00000008');
    expect(await queue.list()).toEqual([]);
    queue.close();
  });
});

import { TokenBuckets } from '@district/gateway';

/** The portal's token buckets on a hand-moved clock (milliseconds). */
function bucketsAt(perMinute: number, burst: number) {
  const clock = { ms: 1_000_000 };
  return { clock, buckets: new TokenBuckets({ perMinute, burst }, () => clock.ms) };
}

const takeTimes = (buckets: TokenBuckets, key: string, n: number) => Array.from({ length: n }, () => buckets.take(key).allowed);

describe('token buckets', () => {
  it('a rested client sends its burst at once, then is refused with the whole seconds until the next token', () => {
    const { buckets } = bucketsAt(60, 3);
    expect(takeTimes(buckets, 'state-portal', 4)).toEqual([true, true, true, false]);
    expect(buckets.take('state-portal')).toEqual({ allowed: false, retryAfterSeconds: 1 });
  });

  it('refills at the sustained rate, never above the burst', () => {
    const { clock, buckets } = bucketsAt(6, 2); // one token every 10 s
    expect(takeTimes(buckets, 'a', 3)).toEqual([true, true, false]);
    clock.ms += 4_000;
    expect(buckets.take('a')).toEqual({ allowed: false, retryAfterSeconds: 6 });
    clock.ms += 6_000;
    expect(takeTimes(buckets, 'a', 2)).toEqual([true, false]);
    clock.ms += 3_600_000;
    expect(takeTimes(buckets, 'a', 3)).toEqual([true, true, false]);
  });

  it('Retry-After is at least 1 second, even when the next token is milliseconds away', () => {
    const { clock, buckets } = bucketsAt(60_000, 1); // one token per millisecond
    expect(takeTimes(buckets, 'a', 2)).toEqual([true, false]);
    clock.ms += 0.5;
    expect(buckets.take('a')).toEqual({ allowed: false, retryAfterSeconds: 1 });
  });

  it('one client’s empty bucket does not limit another client', () => {
    const { buckets } = bucketsAt(1, 2);
    expect(takeTimes(buckets, 'state-portal', 3)).toEqual([true, true, false]);
    expect(takeTimes(buckets, 'other-portal', 2)).toEqual([true, true]);
    expect(buckets.take('state-portal')).toEqual({ allowed: false, retryAfterSeconds: 60 });
  });

  it('drops buckets idle long enough to be full again, so memory follows the active clients', () => {
    const { clock, buckets } = bucketsAt(60, 5); // full again 5 s after the last request
    for (let i = 0; i < 1_000; i++) buckets.take(`client-${i}`);
    expect(buckets.size).toBe(1_000);
    clock.ms += 4_000;
    buckets.take('client-0');
    expect(buckets.size).toBe(1_000);
    clock.ms += 1_000;
    buckets.take('late');
    // client-0 was used 1 s ago (not full yet): kept with the new one; the rest went.
    expect(buckets.size).toBe(2);
    // A dropped client starts again with a full burst, exactly as if its bucket had been kept.
    expect(takeTimes(buckets, 'client-1', 6)).toEqual([true, true, true, true, true, false]);
  });
});

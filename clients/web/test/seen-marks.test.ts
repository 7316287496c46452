import { describe, expect, it } from 'vitest';
import { newMarksSince, type SeenStore } from '../src/features/diary/seen-marks';

function memory(): SeenStore & { data: Map<string, string> } {
  const data = new Map<string, string>();
  return { data, getItem: (k) => data.get(k) ?? null, setItem: (k, v) => void data.set(k, v) };
}
const mark = (lessonId: string, value: string, index = 0) => ({ lessonId, value, controlForm: 'Устный ответ', index });

describe('what is new in the diary since the last visit', () => {
  it('nothing is new on the first visit; a mark added later is new once', () => {
    const store = memory();
    expect(newMarksSince(store, 'st1', [mark('L1', '5')]).size).toBe(0);
    const second = newMarksSince(store, 'st1', [mark('L1', '5'), mark('L2', '4')]);
    expect([...second]).toEqual(['L2|Устный ответ|4|0']);
    expect(newMarksSince(store, 'st1', [mark('L1', '5'), mark('L2', '4')]).size).toBe(0);
  });

  it('a second equal mark in one lesson is a new mark; each child has their own memory', () => {
    const store = memory();
    newMarksSince(store, 'st1', [mark('L1', '5')]);
    expect([...newMarksSince(store, 'st1', [mark('L1', '5'), mark('L1', '5', 1)])]).toEqual(['L1|Устный ответ|5|1']);
    expect(newMarksSince(store, 'st2', [mark('L1', '5')]).size).toBe(0);
  });
});

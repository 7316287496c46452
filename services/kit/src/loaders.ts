import DataLoader from 'dataloader';

/**
 * A loader that fetches rows for many keys in one statement and hands each key
 * its own rows (or row): the building block of every relation a list reaches.
 */
export function manyLoader<K extends string | number, V>(fetch: (keys: readonly K[]) => Promise<V[]>, keyOf: (row: V) => K): DataLoader<K, V[]> {
  return new DataLoader<K, V[]>(async (keys) => {
    const rows = await fetch(keys);
    const byKey = new Map<K, V[]>();
    for (const row of rows) {
      const key = keyOf(row);
      const list = byKey.get(key);
      if (list) list.push(row);
      else byKey.set(key, [row]);
    }
    return keys.map((k) => byKey.get(k) ?? []);
  });
}

export function oneLoader<K extends string | number, V>(fetch: (keys: readonly K[]) => Promise<V[]>, keyOf: (row: V) => K): DataLoader<K, V | undefined> {
  return new DataLoader<K, V | undefined>(async (keys) => {
    const rows = await fetch(keys);
    const byKey = new Map<K, V>(rows.map((r) => [keyOf(r), r]));
    return keys.map((k) => byKey.get(k));
  });
}

export { DataLoader };

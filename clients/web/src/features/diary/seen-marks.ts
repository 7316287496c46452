/**
 * "What is new since the last visit": the marks of a diary week are
 * remembered per student in the browser; a mark not seen before is new. The
 * first visit only remembers (nothing is new on a first look).
 */
export interface MarkSighting {
  lessonId: string;
  value: string;
  controlForm: string;
  /** Position among the lesson's marks (two equal marks in one lesson are two marks). */
  index: number;
}

export const markKey = (m: MarkSighting) => `${m.lessonId}|${m.controlForm}|${m.value}|${m.index}`;

export interface SeenStore {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
}

const storageKey = (studentId: string) => `diary.seen.${studentId}`;

/** Returns the keys of marks that are new, and remembers every mark shown as seen from now on. */
export function newMarksSince(store: SeenStore, studentId: string, shown: MarkSighting[]): Set<string> {
  const raw = store.getItem(storageKey(studentId));
  const seen = new Set<string>(raw ? (JSON.parse(raw) as string[]) : []);
  const keys = shown.map(markKey);
  const fresh = raw === null ? new Set<string>() : new Set(keys.filter((k) => !seen.has(k)));
  // Keep the memory bounded: the latest 2,000 marks are plenty for a school year's weeks being revisited.
  const remembered = [...new Set([...seen, ...keys])].slice(-2000);
  store.setItem(storageKey(studentId), JSON.stringify(remembered));
  return fresh;
}

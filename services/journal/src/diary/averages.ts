/**
 * The weighted average (средневзвешенный балл), computed the same way
 * everywhere: Σ(mark × weight) / Σ weight over a student's ACTIVE numeric
 * marks (1–5) in one subject and term; зачёт/незачёт and withdrawn marks do
 * not count. Rounded half up to two decimals (3.445 → 3.45); no marks → null.
 * See docs/journal-rules.md.
 */
export function weightedAverage(marks: readonly { value: string; weight: number | string; status?: string }[]): number | null {
  let sum = 0;
  let weights = 0;
  for (const m of marks) {
    if (m.status !== undefined && m.status !== 'ACTIVE') continue;
    const value = Number(m.value);
    if (!Number.isInteger(value) || value < 1 || value > 5) continue;
    // Weights have two decimals: work in hundredths so the sums stay exact.
    const w = Math.round(Number(m.weight) * 100);
    sum += value * w;
    weights += w;
  }
  if (weights === 0) return null;
  // Half up on the exact fraction sum/weights, to two decimals.
  return Math.floor((sum * 100 * 2 + weights) / (2 * weights)) / 100;
}

/** The term grade a weighted average suggests (school default: ≥ 2.5 → 3, ≥ 3.5 → 4, ≥ 4.5 → 5). */
export function proposedGrade(average: number | null): string | null {
  if (average === null) return null;
  if (average >= 4.5) return '5';
  if (average >= 3.5) return '4';
  if (average >= 2.5) return '3';
  return '2';
}

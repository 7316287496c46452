import { proposedGrade, weightedAverage } from '../src/diary/averages';

describe('weighted average (средневзвешенный балл)', () => {
  it('is Σ(mark × weight) / Σ weight over active numeric marks', () => {
    // 5×1 + 4×2 + 3×3 = 22 over weight 6 → 3.666… → 3.67
    expect(
      weightedAverage([
        { value: '5', weight: 1 },
        { value: '4', weight: '2.00' },
        { value: '3', weight: 3 },
      ]),
    ).toBe(3.67);
  });

  it('rounds half up to two decimals', () => {
    // 4×1 + 3×1 + 3×1 + 4×1 + 3×1 + 3×1 + 4×1 + 3×1 = 27 / 8 = 3.375 → 3.38
    expect(weightedAverage(['4', '3', '3', '4', '3', '3', '4', '3'].map((value) => ({ value, weight: 1 })))).toBe(3.38);
    // 2.5 weights: (5×2.5 + 4×1.5) / 4 = 18.5 / 4 = 4.625 → 4.63
    expect(
      weightedAverage([
        { value: '5', weight: '2.5' },
        { value: '4', weight: '1.5' },
      ]),
    ).toBe(4.63);
  });

  it('ignores withdrawn marks and зачёт/незачёт; no marks → null', () => {
    expect(
      weightedAverage([
        { value: '2', weight: 3, status: 'WITHDRAWN' },
        { value: '5', weight: 1, status: 'ACTIVE' },
        { value: 'PASS', weight: 1 },
      ]),
    ).toBe(5);
    expect(weightedAverage([{ value: 'PASS', weight: 1 }])).toBeNull();
    expect(weightedAverage([])).toBeNull();
  });

  it('proposes a term grade by the default thresholds', () => {
    expect([2.49, 2.5, 3.49, 3.5, 4.49, 4.5, null].map(proposedGrade)).toEqual(['2', '3', '3', '4', '4', '5', null]);
  });
});

import { proposedYearGrade } from '../src/term-grades/grade-scope';

describe('proposed year grade', () => {
  it('is the mean of the term grades rounded half up; pass/fail and н/а follow their own rule', () => {
    expect(proposedYearGrade(['3', '4', '4', '5'])).toBe('4');
    expect(proposedYearGrade(['4', '5'])).toBe('5');
    expect(proposedYearGrade(['3', '4', '3'])).toBe('3');
    expect(proposedYearGrade(['5', 'EXEMPT', '4', '4'])).toBe('4');
    expect(proposedYearGrade(['PASS', 'PASS'])).toBe('PASS');
    expect(proposedYearGrade(['PASS', 'FAIL'])).toBe('FAIL');
    expect(proposedYearGrade(['4', 'NOT_ASSESSED'])).toBeNull();
    expect(proposedYearGrade([])).toBeNull();
  });
});

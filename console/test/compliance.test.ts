import { describe, expect, it } from 'vitest';
import { fallingBehind, percent } from '../src/compliance';

const row = (subjectId: string, expected: number, adherencePercent: number | null, missed = 0) =>
  ({ subjectId, expected, onTime: 0, late: 0, missed, adherencePercent });

describe('compliance', () => {
  it('lists the subjects falling behind, worst first, and not those with nothing expected yet', () => {
    const rows = [row('A', 10, 95), row('B', 10, 50, 5), row('C', 10, 70, 3), row('D', 0, null), row('E', 4, 50, 2)];
    expect(fallingBehind(rows).map((r) => r.subjectId)).toEqual(['B', 'E', 'C']);
  });

  it('writes adherence as a whole percent', () => {
    expect(percent(91.67)).toBe('92 %');
    expect(percent(null)).toBe('—');
  });
});

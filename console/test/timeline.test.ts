import { describe, expect, it } from 'vitest';
import { bandEdges, describe as describeSeries, seriesOf } from '../src/timeline';
import type { ScoreScale, TimelinePoint } from '../src/types';

const phq9: ScoreScale = { questionnaireId: 'phq-9', id: 'total', title: 'PHQ-9 total', min: 0, max: 27, bands: [
  { min: 0, max: 4, code: 'minimal', display: 'Minimal depression' },
  { min: 5, max: 9, code: 'mild', display: 'Mild depression' },
] };

function point(id: string, at: string, q: string, scores: TimelinePoint['scores']): TimelinePoint {
  return { reportId: id, version: 1, questionnaireId: q, questionnaireUrl: 'u', questionnaireVersion: '1',
    authored: at.replace('Z', '+01:00'), authoredAt: at, receivedAt: at, scores };
}

describe('timeline charts', () => {
  it('makes one oldest-first series per questionnaire score, with its published scale', () => {
    const points = [
      point('r3', '2026-11-20T09:00:00.000Z', 'phq-9', [{ id: 'total', value: 7, band: 'mild', bandDisplay: 'Mild depression' }]),
      point('r2', '2026-11-13T09:00:00.000Z', 'pain-nrs', [{ id: 'pain', value: 6 }]),
      point('r1', '2026-11-06T09:00:00.000Z', 'phq-9', [{ id: 'total', value: 3, band: 'minimal' }]),
      point('r0', '2026-11-01T09:00:00.000Z', 'eq-5d-5l', [{ id: 'profile', profile: '11111' }]),
    ];

    const series = seriesOf(points, [phq9]);

    expect(series.map((s) => `${s.questionnaireId}/${s.scoreId}`)).toEqual(['phq-9/total', 'pain-nrs/pain']);
    expect(series[0].points.map((p) => p.y)).toEqual([3, 7]);
    expect(series[0].scale).toBe(phq9);
    expect(series[0].title).toBe('PHQ-9 total');
    expect(series[1].scale).toBeNull();
    expect(describeSeries(series[0])).toBe('PHQ-9 total: 2 reports, from 3 to 7 (Mild depression), up.');
  });

  it('draws each band over its whole integer range', () => {
    expect(bandEdges(phq9.bands).map((e) => [e.from, e.to])).toEqual([[-0.5, 4.5], [4.5, 9.5]]);
  });
});

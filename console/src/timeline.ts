import type { Band, ScoreScale, TimelinePoint } from './types';

/** One chart's data: a score of one questionnaire over time, oldest first, with its published scale. */
export interface ScoreSeries {
  questionnaireId: string;
  scoreId: string;
  title: string;
  scale: ScoreScale | null;
  points: { x: number; y: number; band?: string; bandDisplay?: string; authored?: string; reportId: string }[];
}

/** Groups a subject's timeline into numeric score series (profiles such as EQ-5D's are not charted). */
export function seriesOf(points: TimelinePoint[], scales: ScoreScale[]): ScoreSeries[] {
  const byKey = new Map<string, ScoreSeries>();
  const ordered = [...points].sort((a, b) => a.authoredAt.localeCompare(b.authoredAt));
  for (const p of ordered) {
    for (const s of p.scores) {
      if (s.value === undefined || s.value === null) continue;
      const key = `${p.questionnaireId}/${s.id}`;
      let series = byKey.get(key);
      if (!series) {
        const scale = scales.find((c) => c.questionnaireId === p.questionnaireId && c.id === s.id) ?? null;
        series = { questionnaireId: p.questionnaireId, scoreId: s.id, title: scale?.title ?? `${p.questionnaireId} ${s.id}`,
          scale, points: [] };
        byKey.set(key, series);
      }
      series.points.push({ x: Date.parse(p.authoredAt), y: Number(s.value), band: s.band, bandDisplay: s.bandDisplay,
        authored: p.authored, reportId: p.reportId });
    }
  }
  return [...byKey.values()];
}

/** Band edges on a continuous axis: each band covers its integer range, half a point either side. */
export function bandEdges(bands: Band[]): { from: number; to: number; band: Band }[] {
  return bands.map((band) => ({ from: band.min - 0.5, to: band.max + 0.5, band }));
}

/** What a screen reader hears for a chart: the trend in words. */
export function describe(series: ScoreSeries): string {
  const n = series.points.length;
  if (n === 0) return `${series.title}: no reports.`;
  const last = series.points[n - 1];
  const band = last.bandDisplay ? ` (${last.bandDisplay})` : '';
  if (n === 1) return `${series.title}: one report, score ${last.y}${band}.`;
  const first = series.points[0];
  const trend = last.y > first.y ? 'up' : last.y < first.y ? 'down' : 'unchanged';
  return `${series.title}: ${n} reports, from ${first.y} to ${last.y}${band}, ${trend}.`;
}

import { Chart, LineController, LineElement, PointElement, LinearScale, Tooltip, type Plugin } from 'chart.js';
import { h } from './dom';
import { formatInstant, patientTime } from './format';
import { bandEdges, describe, type ScoreSeries } from './timeline';

Chart.register(LineController, LineElement, PointElement, LinearScale, Tooltip);

// band fills from least to most severe; the band's name is written on it, colour is never the only cue
const BAND_FILLS = ['#e8f5e9', '#fffde7', '#fff3e0', '#fbe9e7', '#ffebee', '#f3e5f5'];

/** Draws the score's published bands behind the line, each labelled with its name. */
const bandsPlugin: Plugin<'line'> = {
  id: 'openepro-bands',
  beforeDatasetsDraw(chart, _args, options) {
    const edges = (options as { edges?: ReturnType<typeof bandEdges> }).edges ?? [];
    const { ctx, chartArea, scales } = chart;
    const y = scales.y;
    ctx.save();
    edges.forEach((edge, i) => {
      const top = Math.max(chartArea.top, y.getPixelForValue(edge.to));
      const bottom = Math.min(chartArea.bottom, y.getPixelForValue(edge.from));
      if (bottom <= top) return;
      ctx.fillStyle = BAND_FILLS[Math.min(i, BAND_FILLS.length - 1)];
      ctx.fillRect(chartArea.left, top, chartArea.right - chartArea.left, bottom - top);
      ctx.fillStyle = '#37474f';
      ctx.font = '11px system-ui, sans-serif';
      ctx.textBaseline = 'top';
      if (bottom - top >= 12) ctx.fillText(edge.band.display, chartArea.left + 4, top + 2);
    });
    ctx.restore();
  },
};

/**
 * A score over time as a line chart, with a text description for screen readers and the numbers
 * as a table beneath (the chart is a picture; the table is the data).
 */
export function scoreChart(series: ScoreSeries): HTMLElement {
  const canvas = h('canvas', { role: 'img', 'aria-label': describe(series) });
  const figure = h('figure', { class: 'chart' },
    h('figcaption', {}, series.title),
    h('div', { class: 'chart-canvas' }, canvas),
    table(series));
  const scale = series.scale;
  const values = series.points.map((p) => p.y);
  const min = scale?.min ?? Math.min(0, ...values);
  const max = scale?.max ?? Math.max(...values, 1);
  const xs = series.points.map((p) => p.x);
  const span = Math.max(...xs) - Math.min(...xs);
  const pad = Math.max(span * 0.05, 12 * 3600 * 1000);
  new Chart(canvas, {
    type: 'line',
    data: {
      datasets: [{
        label: series.title,
        data: series.points.map((p) => ({ x: p.x, y: p.y })),
        borderColor: '#1a4f8b',
        backgroundColor: '#1a4f8b',
        pointRadius: 4,
        tension: 0,
      }],
    },
    options: {
      animation: false,
      responsive: true,
      maintainAspectRatio: false,
      scales: {
        x: {
          type: 'linear',
          min: Math.min(...xs) - pad,
          max: Math.max(...xs) + pad,
          // days apart: the date; within a few days: date and time
          ticks: { maxTicksLimit: 6, callback: (v) => tickLabel(Number(v), span) },
        },
        y: {
          min: min - 0.5, max: max + 0.5,
          ticks: { stepSize: max - min > 12 ? 5 : 1, callback: (v) => (Number.isInteger(Number(v)) ? String(v) : '') },
        },
      },
      plugins: {
        tooltip: {
          callbacks: {
            label: (item) => {
              const p = series.points[item.dataIndex];
              return [`${series.title}: ${p.y}${p.bandDisplay ? ` (${p.bandDisplay})` : ''}`,
                `Patient's time: ${patientTime(p.authored) ?? '—'}`];
            },
            title: (items) => formatInstant(new Date(series.points[items[0].dataIndex].x).toISOString()),
          },
        },
        // @ts-expect-error: our plugin's options are not in Chart.js's typed plugin map
        'openepro-bands': { edges: scale ? bandEdges(scale.bands) : [] },
      },
    },
    plugins: [bandsPlugin],
  });
  return figure;
}

function tickLabel(ms: number, span: number): string {
  const text = formatInstant(new Date(ms).toISOString());
  return span > 4 * 86_400_000 ? text.split(',')[0] : text;
}

function table(series: ScoreSeries): HTMLElement {
  const rows = [...series.points].reverse().map((p) => h('tr', {},
    h('td', {}, h('time', { datetime: new Date(p.x).toISOString(), title: `Patient's time: ${patientTime(p.authored) ?? '—'}` },
      formatInstant(new Date(p.x).toISOString()))),
    h('td', { class: 'num' }, p.y),
    h('td', {}, p.bandDisplay ?? '—')));
  return h('details', { class: 'chart-data' },
    h('summary', {}, `${series.title}: the numbers`),
    h('table', {},
      h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Authored'), h('th', { scope: 'col' }, 'Score'),
        h('th', { scope: 'col' }, 'Band'))),
      h('tbody', {}, ...rows)));
}

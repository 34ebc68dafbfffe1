import { Chart, LinearScale, LineController, LineElement, PointElement } from 'chart.js';
import { ApiError } from '../api';
import { h, replace } from '../dom';
import type { View, ViewContext } from '../context';
import { fallingBehind, percent, type Compliance, type ComplianceRow } from '../compliance';
import { formatInstant, utcDay } from '../format';
import { errorBox, labelled } from './common';
import { enc } from './report';

Chart.register(LineController, LineElement, PointElement, LinearScale);

/** Compliance: adherence per day and per site, and the subjects falling behind (the schedule's counts). */
export function complianceView(ctx: ViewContext, main: HTMLElement): View {
  const now = Date.now();
  const from = h('input', { type: 'date', value: utcDay(new Date(now - 13 * 86_400_000)) });
  const to = h('input', { type: 'date', value: utcDay(new Date(now)) });
  const site = h('input', { type: 'text', autocomplete: 'off', placeholder: 'all sites', size: 12 });
  const result = h('div', {});
  const form = h('form', { class: 'filters', 'aria-label': 'Compliance filters',
    onsubmit: (e: Event) => { e.preventDefault(); void load(); } },
    labelled('c-from', 'From (day)', from), labelled('c-to', 'To (day)', to), labelled('c-site', 'Site', site),
    h('button', { type: 'submit' }, 'Show'));
  replace(main, h('h1', { tabindex: '-1' }, `Compliance — ${ctx.study}`), form, result);

  async function load(): Promise<void> {
    replace(result, h('p', { class: 'empty' }, 'Loading…'));
    const query = (by: string) => ctx.api.get<Compliance>(`/v1/studies/${enc(ctx.study)}/compliance`,
      { from: from.value, to: to.value, siteId: site.value.trim() || undefined, by });
    try {
      const [byDay, bySite, bySubject] = await Promise.all([query('day'), query('site'), query('subject')]);
      render(byDay, bySite, bySubject);
    } catch (e) {
      if (e instanceof ApiError && e.status === 404 && !e.problem?.type) {
        replace(result, h('p', {}, 'This stack has no schedule yet: compliance counts come with study protocols.'));
      } else {
        replace(result, errorBox(e));
      }
    }
  }

  function render(byDay: Compliance, bySite: Compliance, bySubject: Compliance): void {
    const behind = fallingBehind(bySubject.rows);
    replace(result,
      h('p', {}, `Whole range: ${percent(byDay.total.adherencePercent)} adherence; ${byDay.total.expected} expected, `
        + `${byDay.total.onTime} on time, ${byDay.total.late} late, ${byDay.total.missed} missed.`),
      h('section', { 'aria-labelledby': 'c-days' }, h('h2', { id: 'c-days' }, 'Adherence per day'), dayChart(byDay.rows),
        counts(byDay.rows, 'Day', (r) => r.day ?? '')),
      h('section', { 'aria-labelledby': 'c-sites' }, h('h2', { id: 'c-sites' }, 'Per site'),
        counts(bySite.rows, 'Site', (r) => r.siteId ?? '')),
      h('section', { 'aria-labelledby': 'c-behind' }, h('h2', { id: 'c-behind' }, 'Subjects falling behind'),
        behind.length === 0 ? h('p', {}, 'No subject is below 80 % adherence in this range.')
          : counts(behind, 'Subject', (r) => r.subjectId ?? '')));
  }

  void load();
  return { stop: () => undefined };
}

function counts(rows: ComplianceRow[], first: string, key: (r: ComplianceRow) => string): HTMLElement {
  return h('table', {},
    h('thead', {}, h('tr', {}, ...[first, 'Expected', 'On time', 'Late', 'Missed', 'Adherence']
      .map((c, i) => h('th', { scope: 'col', class: i > 0 ? 'num' : null }, c)))),
    h('tbody', {}, ...rows.map((r) => h('tr', {}, h('th', { scope: 'row' }, key(r)),
      ...[r.expected, r.onTime, r.late, r.missed].map((n) => h('td', { class: 'num' }, n)),
      h('td', { class: 'num' }, percent(r.adherencePercent))))));
}

function dayChart(rows: ComplianceRow[]): HTMLElement {
  const points = rows.filter((r) => r.day && r.adherencePercent !== null)
    .map((r) => ({ x: Date.parse(`${r.day}T12:00:00Z`), y: r.adherencePercent as number }));
  const canvas = h('canvas', { role: 'img', 'aria-label': points.length === 0 ? 'No adherence to chart.'
    : `Adherence per day, from ${percent(points[0].y)} to ${percent(points[points.length - 1].y)}.` });
  const figure = h('figure', { class: 'chart' }, h('div', { class: 'chart-canvas' }, canvas));
  if (points.length > 0) {
    new Chart(canvas, {
      type: 'line',
      data: { datasets: [{ label: 'Adherence %', data: points, borderColor: '#1a4f8b', backgroundColor: '#1a4f8b' }] },
      options: {
        animation: false, responsive: true, maintainAspectRatio: false,
        scales: {
          x: { type: 'linear', ticks: { maxTicksLimit: 7, callback: (v) => formatInstant(new Date(Number(v)).toISOString()).split(',')[0] } },
          y: { min: 0, max: 100, ticks: { callback: (v) => `${v} %` } },
        },
      },
    });
  }
  return figure;
}

import { h, replace } from '../dom';
import type { View, ViewContext } from '../context';
import { scoreChart } from '../chart';
import { seriesOf } from '../timeline';
import type { Roster, SubjectSummary, Timeline, TimelinePoint } from '../types';
import { bandBadge, errorBox, labelled, severityBadge, when } from './common';
import { enc, renderReport } from './report';

/** The study's subjects: latest scores, open alerts, on-time share; one opens to its timeline and reports. */
export function subjectsView(ctx: ViewContext, main: HTMLElement): View {
  const site = h('input', { type: 'text', inputmode: 'text', autocomplete: 'off', placeholder: 'all sites', size: 12 });
  const list = h('div', {});
  const form = h('form', { class: 'filters', 'aria-label': 'Subject filters',
    onsubmit: (e: Event) => { e.preventDefault(); void load(); } },
    labelled('s-site', 'Site', site), h('button', { type: 'submit' }, 'Show'));
  replace(main, h('h1', { tabindex: '-1' }, `Subjects — ${ctx.study}`), form, list);

  async function load(): Promise<void> {
    replace(list, h('p', { class: 'empty' }, 'Loading…'));
    try {
      const subjects: SubjectSummary[] = [];
      let next: string | undefined;
      let pages = 0;
      do {
        const page = await ctx.api.get<Roster>(`/v1/studies/${enc(ctx.study)}/subjects`,
          { siteId: site.value.trim() || undefined, limit: '100', next });
        subjects.push(...page.subjects);
        next = page.next;
        pages++;
      } while (next && pages < 10);
      renderList(subjects);
    } catch (e) {
      replace(list, errorBox(e));
    }
  }

  function renderList(subjects: SubjectSummary[]): void {
    if (subjects.length === 0) {
      replace(list, h('p', { class: 'empty' }, 'No subject has reported yet.'));
      return;
    }
    replace(list, h('table', { class: 'subjects' },
      h('caption', { class: 'visually-hidden' }, 'Subjects'),
      h('thead', {}, h('tr', {}, ...['Subject', 'Site', 'Latest scores', 'Open alerts', 'On time', 'Last report', '']
        .map((c) => h('th', { scope: 'col' }, c || h('span', { class: 'visually-hidden' }, 'Actions'))))),
      h('tbody', {}, ...subjects.map((s) => h('tr', {},
        h('th', { scope: 'row' }, s.subjectId),
        h('td', {}, s.siteId),
        h('td', {}, h('ul', { class: 'latest' }, ...s.latest.map((p) => h('li', {}, `${p.questionnaireId}: `,
          ...p.scores.filter((x) => x.value !== undefined).slice(0, 1).map((x) => bandBadge(x.value, x.band, x.bandDisplay)))))),
        h('td', {}, s.openAlerts > 0 ? h('span', {}, `${s.openAlerts} `, severityBadge(s.highestOpenSeverity)) : '0'),
        h('td', {}, s.onTimeRate === undefined || s.onTimeRate === null ? '—'
          : `${Math.round(s.onTimeRate * 100)}% of ${s.reports}`),
        h('td', {}, when(s.lastAuthoredAt)),
        h('td', {}, h('button', { type: 'button', onclick: () => openSubject(ctx, s.subjectId) }, 'Open',
          h('span', { class: 'visually-hidden' }, ` subject ${s.subjectId}`))))))));
  }

  void load();
  return { stop: () => undefined };
}

export function openSubject(ctx: ViewContext, subjectId: string): void {
  ctx.open(`Subject ${subjectId}`, async (container) => {
    try {
      const timeline = await ctx.api.get<Timeline>(`/v1/studies/${enc(ctx.study)}/subjects/${enc(subjectId)}/timeline`,
        { limit: '500' });
      const series = seriesOf(timeline.points, timeline.scoreScales);
      container.append(h('section', { class: 'charts', 'aria-label': 'Scores over time' },
        h('h2', {}, 'Scores over time'),
        series.length === 0 ? h('p', {}, 'No numeric scores yet.') : h('div', { class: 'chart-grid' }, ...series.map(scoreChart))));
      container.append(reportsList(ctx, timeline.points));
    } catch (e) {
      container.append(errorBox(e));
    }
  });
}

function reportsList(ctx: ViewContext, points: TimelinePoint[]): HTMLElement {
  return h('section', { 'aria-labelledby': 'reports-heading' },
    h('h2', { id: 'reports-heading' }, 'Reports'),
    h('table', { class: 'reports' },
      h('caption', { class: 'visually-hidden' }, 'Reports, newest first'),
      h('thead', {}, h('tr', {}, ...['Authored', 'Questionnaire', 'Scores', 'Version', ''].map((c) => h('th', { scope: 'col' }, c || h('span', { class: 'visually-hidden' }, 'Actions'))))),
      h('tbody', {}, ...points.map((p) => h('tr', {},
        h('td', {}, when(p.authoredAt, p.authored)),
        h('td', {}, p.questionnaireId),
        h('td', {}, ...p.scores.map((s) => h('span', { class: 'score-pair' }, `${s.id} `,
          s.profile ? s.profile : bandBadge(s.value, s.band, s.bandDisplay)))),
        h('td', { class: 'num' }, String(p.version)),
        h('td', {}, h('button', { type: 'button', onclick: () => ctx.open(`Report of ${p.questionnaireId}`,
          async (c) => { await renderReport(ctx, c, p.reportId); }) }, 'Open',
          h('span', { class: 'visually-hidden' }, ` ${p.questionnaireId} report`))))))));
}

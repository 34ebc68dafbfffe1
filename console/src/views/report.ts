import { h } from '../dom';
import type { ViewContext } from '../context';
import type { ReportVersion, ReportView } from '../types';
import { bandBadge, errorBox, when } from './common';

/** Loads a report (an audited read) and renders every version: answers beside the item texts, scores, who amended what. */
export async function renderReport(ctx: ViewContext, container: HTMLElement, reportId: string): Promise<ReportView | null> {
  try {
    const report = await ctx.api.get<ReportView>(`/v1/studies/${enc(ctx.study)}/reports/${enc(reportId)}`);
    container.appendChild(reportSection(report));
    return report;
  } catch (e) {
    container.appendChild(errorBox(e));
    return null;
  }
}

export function reportSection(report: ReportView): HTMLElement {
  const latest = report.versions[report.versions.length - 1];
  const section = h('section', { class: 'report', 'aria-labelledby': `report-${report.reportId}` },
    h('h2', { id: `report-${report.reportId}` },
      `${report.questionnaire.title ?? report.questionnaire.id} — subject ${report.subjectId}`),
    h('dl', { class: 'facts' },
      h('dt', {}, 'Site'), h('dd', {}, report.siteId),
      h('dt', {}, 'Questionnaire'), h('dd', {}, `${report.questionnaire.id} version ${report.questionnaire.version}`),
      h('dt', {}, 'Versions'), h('dd', {}, String(report.versions.length))));
  // newest version first: it is what the nurse acts on; earlier versions stay readable below
  for (const v of [...report.versions].reverse()) {
    section.appendChild(version(v, v === latest));
  }
  if (report.history.length > 0) {
    section.appendChild(h('details', { class: 'history' }, h('summary', {}, `Audit history (${report.history.length})`),
      h('ul', {}, ...report.history.map((e) => h('li', {}, when(e.at), ` ${e.action} by ${e.actor} (${e.actorRole})`,
        e.reason ? ` — ${e.reason}` : '')))));
  }
  return section;
}

function version(v: ReportVersion, latest: boolean): HTMLElement {
  const changed = new Set(v.changedItems);
  const heading = `Version ${v.version}${latest ? ' (current)' : ''}${v.version > 1 ? ', amended' : ''}`;
  const rows = v.answers.map((a) => h('tr', { class: changed.has(a.linkId) ? 'changed' : null },
    h('th', { scope: 'row' }, a.prefix ? `${a.prefix} ` : '', a.text ?? a.linkId,
      changed.has(a.linkId) ? h('span', { class: 'tag' }, ' changed in this version') : null),
    h('td', {}, answerText(a)),
    h('td', { class: 'num' }, a.value === undefined ? '—' : String(a.value))));
  const body = h('div', { class: 'version' },
    h('h3', {}, heading),
    h('dl', { class: 'facts' },
      h('dt', {}, 'Authored'), h('dd', {}, when(v.authoredAt, v.authored)),
      h('dt', {}, 'Received'), h('dd', {}, when(v.receivedAt)),
      h('dt', {}, 'Window'), h('dd', {}, v.onTime ? 'on time' : 'late'),
      v.version > 1 ? h('dt', {}, 'Amended by') : null, v.version > 1 ? h('dd', {}, v.submittedBy ?? '—') : null,
      v.amendmentReason ? h('dt', {}, 'Reason') : null, v.amendmentReason ? h('dd', {}, v.amendmentReason) : null),
    h('ul', { class: 'scores', 'aria-label': 'Scores' }, ...v.scores.map((s) => h('li', {},
      `${s.title ?? s.id}: `, s.profile ? h('span', { class: 'score' }, s.profile) : bandBadge(s.value, s.band, s.bandDisplay)))),
    h('table', { class: 'answers' },
      h('caption', { class: 'visually-hidden' }, `Answers of version ${v.version}`),
      h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Item'), h('th', { scope: 'col' }, 'Answer'),
        h('th', { scope: 'col' }, 'Item score'))),
      h('tbody', {}, ...rows)));
  if (latest) return body;
  return h('details', { class: 'earlier' }, h('summary', {}, heading), body);
}

function answerText(a: ReportVersion['answers'][number]): string {
  if (a.display) return a.display;
  if (a.valueText !== undefined) return a.valueText;
  if (a.valueBoolean !== undefined) return a.valueBoolean ? 'Yes' : 'No';
  if (a.value !== undefined) return String(a.value);
  return '—';
}

export function enc(s: string): string {
  return encodeURIComponent(s);
}

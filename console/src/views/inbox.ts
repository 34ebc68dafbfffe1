import { announce, h, replace } from '../dom';
import type { View, ViewContext } from '../context';
import { duration } from '../format';
import { arrivals, filterAlerts, optionsOf, SEVERITIES, waitedSeconds, type AlertFilters } from '../inbox';
import { seriesOf } from '../timeline';
import type { Alert, AlertPage, Timeline } from '../types';
import { scoreChart } from '../chart';
import { errorBox, errorMessage, labelled, select, severityBadge, when } from './common';
import { enc, renderReport } from './report';

/** How often the inbox asks for new alerts: a new one shows within seconds, without a reload. */
export const POLL_MS = 3000;

/** The alerts inbox: a study's alerts newest first, filtered, refreshed by polling. */
export function inboxView(ctx: ViewContext, main: HTMLElement): View {
  const filters: AlertFilters = { status: 'OPEN', siteId: '', severity: '', questionnaireId: '' };
  let alerts: Alert[] | null = null;
  let fresh = new Set<string>();
  let timer: number | undefined;
  let stopped = false;

  const status = h('p', { class: 'poll-status' });
  const tableBox = h('div', {});
  const filterBox = h('form', { class: 'filters', 'aria-label': 'Alert filters', onsubmit: (e: Event) => e.preventDefault() });
  replace(main, h('h1', { tabindex: '-1' }, `Alerts — ${ctx.study}`), filterBox, status, tableBox);

  function renderFilters(): void {
    const all = alerts ?? [];
    const statusSel = select([{ value: 'OPEN', label: 'Open' }, { value: 'ACKNOWLEDGED', label: 'Acknowledged' },
      { value: '', label: 'All' }], filters.status);
    statusSel.addEventListener('change', () => { filters.status = statusSel.value as AlertFilters['status']; alerts = null; void poll(); });
    const site = select([{ value: '', label: 'All sites' }, ...optionsOf(all, 'siteId').map((s) => ({ value: s, label: s }))], filters.siteId);
    site.addEventListener('change', () => { filters.siteId = site.value; renderTable(); });
    const severity = select([{ value: '', label: 'All severities' }, ...SEVERITIES.map((s) => ({ value: s, label: s }))], filters.severity);
    severity.addEventListener('change', () => { filters.severity = severity.value; renderTable(); });
    const questionnaire = select([{ value: '', label: 'All questionnaires' },
      ...optionsOf(all, 'questionnaireId').map((q) => ({ value: q, label: q }))], filters.questionnaireId);
    questionnaire.addEventListener('change', () => { filters.questionnaireId = questionnaire.value; renderTable(); });
    replace(filterBox, labelled('f-status', 'Status', statusSel), labelled('f-site', 'Site', site),
      labelled('f-severity', 'Severity', severity), labelled('f-questionnaire', 'Questionnaire', questionnaire));
  }

  function renderTable(): void {
    const shown = filterAlerts(alerts ?? [], filters);
    if (shown.length === 0) {
      replace(tableBox, h('p', { class: 'empty' }, alerts === null ? 'Loading…' : 'No alerts match these filters.'));
      return;
    }
    const now = Date.now();
    replace(tableBox, h('table', { class: 'alerts' },
      h('caption', { class: 'visually-hidden' }, 'Alerts, newest first'),
      h('thead', {}, h('tr', {}, ...['Severity', 'Raised', 'Subject', 'Site', 'Questionnaire', 'Rule',
        'Waited / time to acknowledge', 'Status', ''].map((c) => h('th', { scope: 'col' }, c || h('span', { class: 'visually-hidden' }, 'Actions'))))),
      h('tbody', {}, ...shown.map((a) => h('tr', { class: fresh.has(a.alertId) ? 'new' : null, 'data-alert': a.alertId },
        h('td', {}, severityBadge(a.severity)),
        h('td', {}, when(a.raisedAt)),
        h('td', {}, a.subjectId),
        h('td', {}, a.siteId),
        h('td', {}, a.questionnaireId),
        h('td', {}, a.ruleId),
        h('td', {}, duration(waitedSeconds(a, now))),
        h('td', {}, a.status === 'OPEN' ? 'Open' : 'Acknowledged'),
        h('td', {}, h('button', { type: 'button', onclick: () => openAlert(ctx, a) },
          'Open', h('span', { class: 'visually-hidden' }, ` alert for ${a.subjectId}, ${a.ruleId}`))))))));
  }

  async function poll(): Promise<void> {
    window.clearTimeout(timer);
    try {
      const items: Alert[] = [];
      let next: string | undefined;
      let pages = 0;
      do {
        const page = await ctx.api.get<AlertPage>(`/v1/studies/${enc(ctx.study)}/alerts`,
          { status: filters.status || undefined, limit: '100', next });
        items.push(...page.items);
        next = page.next;
        pages++;
      } while (next && pages < 5);
      if (stopped) return;
      const arrived = arrivals(alerts, items);
      fresh = new Set(arrived.map((a) => a.alertId));
      if (arrived.length > 0) {
        announce(`${arrived.length} new alert${arrived.length > 1 ? 's' : ''}: ${arrived.map((a) => `${a.severity} ${a.subjectId}`).join(', ')}`);
      }
      const filtersHadFocus = filterBox.contains(document.activeElement);
      alerts = items;
      if (!filtersHadFocus) renderFilters();
      renderTable();
      status.textContent = `Updated ${new Date().toLocaleTimeString('en-GB')}; refreshes every ${POLL_MS / 1000} s.`;
    } catch (e) {
      status.textContent = `Could not refresh: ${errorMessage(e)}`;
    }
    if (!stopped) timer = window.setTimeout(() => void poll(), POLL_MS);
  }

  renderFilters();
  renderTable();
  void poll();
  return { stop: () => { stopped = true; window.clearTimeout(timer); } };
}

/** An alert opened: the rule, the report that raised it, the subject's recent scores, and Acknowledge. */
function openAlert(ctx: ViewContext, alert: Alert): void {
  ctx.open(`${alert.severity} alert — ${alert.subjectId}`, async (container) => {
    const ackBox = h('section', { class: 'ack', 'aria-labelledby': 'ack-heading' });
    container.append(
      h('dl', { class: 'facts alert-facts' },
        h('dt', {}, 'Rule'), h('dd', {}, alert.ruleId),
        h('dt', {}, 'Severity'), h('dd', {}, severityBadge(alert.severity)),
        h('dt', {}, 'Raised'), h('dd', {}, when(alert.raisedAt)),
        h('dt', {}, 'Subject'), h('dd', {}, `${alert.subjectId} at ${alert.siteId}`)),
      ackBox);
    renderAck(ctx, alert, ackBox);
    const chartBox = h('section', { class: 'recent', 'aria-label': 'Recent scores' });
    const reportBox = h('div', {});
    container.append(chartBox, reportBox);
    await Promise.all([
      alert.reportId ? renderReport(ctx, reportBox, alert.reportId)
        : Promise.resolve(void reportBox.append(h('p', {},
          'Raised by missed questionnaire windows of the study schedule, not by a report.'))),
      recentScores(ctx, alert, chartBox),
    ]);
  });
}

async function recentScores(ctx: ViewContext, alert: Alert, box: HTMLElement): Promise<void> {
  try {
    const timeline = await ctx.api.get<Timeline>(
      `/v1/studies/${enc(ctx.study)}/subjects/${enc(alert.subjectId)}/timeline`,
      { questionnaire: alert.questionnaireId, limit: '20' });
    const series = seriesOf(timeline.points, timeline.scoreScales);
    box.append(h('h2', {}, 'Recent scores'), ...series.map((s) => scoreChart(s)));
  } catch (e) {
    box.append(errorBox(e));
  }
}

function renderAck(ctx: ViewContext, alert: Alert, box: HTMLElement): void {
  if (alert.status !== 'OPEN') {
    replace(box, h('h2', { id: 'ack-heading', tabindex: '-1' }, 'Acknowledged'),
      h('p', {}, `Acknowledged by ${alert.acknowledgedBy ?? '—'} `, when(alert.acknowledgedAt),
        `, ${duration(alert.timeToAcknowledgeSeconds)} after it was raised.`));
    return;
  }
  const note = h('textarea', { rows: 2, maxlength: 500, 'aria-describedby': 'ack-note-help' });
  const message = h('p', { role: 'status' });
  const button = h('button', { type: 'submit', class: 'primary' }, 'Acknowledge');
  const form = h('form', {
    onsubmit: async (e: Event) => {
      e.preventDefault();
      button.disabled = true;
      try {
        const text = note.value.trim();
        const acknowledged = await ctx.api.post<Alert>(`/v1/alerts/${enc(alert.alertId)}/ack`, text ? { note: text } : {});
        announce('Alert acknowledged.');
        renderAck(ctx, acknowledged, box);
        (box.querySelector('h2') as HTMLElement | null)?.focus();
      } catch (err) {
        message.textContent = errorMessage(err);
        button.disabled = false;
      }
    },
  },
  labelled('ack-note', 'Note (optional)', note),
  h('p', { id: 'ack-note-help', class: 'help' }, 'Recorded in the audit trail with your acknowledgement.'),
  button, message);
  replace(box, h('h2', { id: 'ack-heading', tabindex: '-1' }, 'Acknowledge'),
    h('p', {}, `Open for ${duration(waitedSeconds(alert, Date.now()))}.`), form);
}

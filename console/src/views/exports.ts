import { announce, h, replace } from '../dom';
import type { View, ViewContext } from '../context';
import { allowedProfiles, finished, FORMATS, formErrors, requestBody, type ExportForm } from '../exports';
import { bytes, utcDay } from '../format';
import type { ExportJob } from '../types';
import { errorMessage, labelled, select, when } from './common';
import { enc } from './report';

interface QuestionnaireEntry { id: string; title?: string }

/** Jobs requested in this tab (kept in memory only: export ids never go to browser storage). */
const jobs: ExportJob[] = [];

/** Exports: a request form limited to the caller's roles, the jobs with status, rows, size, SHA-256, and Download. */
export function exportsView(ctx: ViewContext, main: HTMLElement): View {
  const canExport = ctx.claims.scopes.length === 0 || ctx.claims.scopes.includes('epro/export');
  const today = utcDay(new Date());
  const format = select(FORMATS.map((f) => ({ value: f.code, label: f.label })), 'csv');
  const profile = select(allowedProfiles(ctx.claims.roles).map((p) => ({ value: p.code, label: p.label })), 'deidentified');
  const from = h('input', { type: 'date', value: today, required: true });
  const to = h('input', { type: 'date', value: today, required: true });
  const site = h('input', { type: 'text', autocomplete: 'off', placeholder: 'all sites', size: 12 });
  const questionnaires = h('fieldset', { class: 'questionnaires' }, h('legend', {}, 'Questionnaires (none ticked: all)'));
  const message = h('p', { role: 'status' });
  const jobList = h('div', {});
  let timer: number | undefined;
  let stopped = false;

  const form = h('form', { class: 'export-form', novalidate: true, onsubmit: (e: Event) => { e.preventDefault(); void submit(); } },
    labelled('x-format', 'Format', format), labelled('x-from', 'First day (UTC)', from), labelled('x-to', 'Last day (UTC)', to),
    labelled('x-site', 'Site', site), labelled('x-profile', 'De-identification profile', profile), questionnaires,
    h('button', { type: 'submit', class: 'primary', disabled: !canExport }, 'Request export'), message);
  replace(main, h('h1', { tabindex: '-1' }, `Exports — ${ctx.study}`),
    canExport ? form : h('p', { class: 'error' }, 'Your sign-in does not include the export scope.'),
    h('h2', {}, 'Export jobs of this session'), jobList);

  // the catalogue is a FHIR searchset Bundle of Questionnaire resources, every version
  void ctx.api.get<{ entry?: { resource?: QuestionnaireEntry }[] }>('/v1/questionnaires').then((bundle) => {
    const list = (bundle.entry ?? []).map((e) => e.resource).filter((r): r is QuestionnaireEntry => !!r);
    const seen = new Set<string>();
    for (const q of list) {
      if (!q.id || seen.has(q.id)) continue;
      seen.add(q.id);
      const box = h('input', { type: 'checkbox', value: q.id, id: `xq-${q.id}` });
      questionnaires.append(h('div', { class: 'check' }, box, h('label', { for: `xq-${q.id}` }, q.title ?? q.id)));
    }
  }).catch(() => { questionnaires.append(h('p', {}, 'The questionnaire list could not be read; all will be exported.')); });

  function formValue(): ExportForm {
    return {
      format: format.value, from: from.value, to: to.value, siteId: site.value.trim(), profile: profile.value,
      questionnaires: [...questionnaires.querySelectorAll<HTMLInputElement>('input:checked')].map((c) => c.value),
    };
  }

  async function submit(): Promise<void> {
    const value = formValue();
    const errors = formErrors(value, ctx.claims.roles);
    for (const [id, el] of [['format', format], ['from', from], ['to', to], ['siteId', site], ['profile', profile]] as const) {
      el.setAttribute('aria-invalid', errors[id] ? 'true' : 'false');
    }
    if (Object.keys(errors).length > 0) {
      message.textContent = Object.values(errors).join(' ');
      return;
    }
    message.textContent = 'Requesting…';
    try {
      const job = await ctx.api.post<ExportJob>(`/v1/studies/${enc(ctx.study)}/exports`, requestBody(value));
      jobs.unshift(job);
      message.textContent = `Export requested (${job.format}, ${job.profile}).`;
      renderJobs();
      void poll();
    } catch (e) {
      message.textContent = errorMessage(e);
    }
  }

  /** Asks for jobs still running only: each GET of a finished job issues (and audits) a new link. */
  async function poll(): Promise<void> {
    window.clearTimeout(timer);
    const running = jobs.filter((j) => j.studyId === ctx.study && !finished(j.status));
    for (const job of running) {
      try {
        const latest = await ctx.api.get<ExportJob>(`/v1/exports/${enc(job.exportId)}`);
        Object.assign(job, latest);
        if (finished(latest.status)) announce(`Export ${latest.format} ${latest.status === 'SUCCEEDED' ? 'is ready' : 'failed'}.`);
      } catch {
        // shown as it was; asked again next round
      }
    }
    if (stopped) return;
    renderJobs();
    if (jobs.some((j) => !finished(j.status))) timer = window.setTimeout(() => void poll(), 2000);
  }

  async function download(job: ExportJob, button: HTMLButtonElement): Promise<void> {
    button.disabled = true;
    try {
      // a fresh, short-lived link each time: the one from the last poll may have expired
      const latest = await ctx.api.get<ExportJob>(`/v1/exports/${enc(job.exportId)}`);
      Object.assign(job, latest);
      if (!latest.download) {
        announce(latest.expired ? 'This export has expired; request a new one.' : 'No file to download.');
        return;
      }
      const link = h('a', { href: latest.download.url, download: latest.download.fileName, rel: 'noopener' });
      document.body.appendChild(link);
      link.click();
      link.remove();
    } catch (e) {
      announce(errorMessage(e));
    } finally {
      button.disabled = false;
    }
  }

  function renderJobs(): void {
    const mine = jobs.filter((j) => j.studyId === ctx.study);
    if (mine.length === 0) {
      replace(jobList, h('p', { class: 'empty' }, 'No export requested yet in this session.'));
      return;
    }
    replace(jobList, h('table', { class: 'jobs' },
      h('caption', { class: 'visually-hidden' }, 'Export jobs'),
      h('thead', {}, h('tr', {}, ...['Requested', 'Format', 'Profile', 'Range', 'Status', 'Rows', 'Size', 'SHA-256', '']
        .map((c) => h('th', { scope: 'col' }, c || h('span', { class: 'visually-hidden' }, 'Actions'))))),
      h('tbody', {}, ...mine.map((j) => {
        const button = h('button', { type: 'button' }, 'Download', h('span', { class: 'visually-hidden' }, ` ${j.format} export`));
        button.addEventListener('click', () => void download(j, button));
        return h('tr', { 'data-export': j.exportId },
          h('td', {}, when(j.createdAt)), h('td', {}, j.format), h('td', {}, j.profile), h('td', {}, `${j.from} – ${j.to}`),
          h('td', { class: `status-${j.status.toLowerCase()}` }, j.status, j.failureReason ? ` (${j.failureReason})` : ''),
          h('td', { class: 'num' }, j.rowCount ?? '—'), h('td', { class: 'num' }, bytes(j.bytes)),
          h('td', { class: 'hash' }, j.sha256 ? h('code', { title: j.sha256 }, j.sha256) : '—'),
          h('td', {}, j.status === 'SUCCEEDED' ? button : ''));
      }))));
  }

  renderJobs();
  void poll();
  return { stop: () => { stopped = true; window.clearTimeout(timer); } };
}

import { h, replace } from '../dom';
import type { View, ViewContext } from '../context';
import { auditCsv } from '../csv';
import { utcDay } from '../format';
import type { AuditEvent, AuditPage } from '../types';
import { errorBox, labelled, when } from './common';
import { enc } from './report';

/** The audit trail for monitors: a date range, optionally one entity, page by page; copyable as CSV. */
export function auditView(ctx: ViewContext, main: HTMLElement): View {
  const now = new Date();
  const from = h('input', { type: 'date', value: utcDay(new Date(now.getTime() - 7 * 86_400_000)) });
  const to = h('input', { type: 'date', value: utcDay(now) });
  const entity = h('input', { type: 'text', autocomplete: 'off', placeholder: 'e.g. alert:…', size: 24,
    'aria-describedby': 'a-entity-help' });
  const result = h('div', {});
  let events: AuditEvent[] = [];
  let next: string | undefined;

  const form = h('form', { class: 'filters', 'aria-label': 'Audit filters', onsubmit: (e: Event) => { e.preventDefault(); void load(false); } },
    labelled('a-from', 'From (UTC day)', from), labelled('a-to', 'To (UTC day, included)', to),
    labelled('a-entity', 'Entity', entity),
    h('p', { id: 'a-entity-help', class: 'help' }, 'type:id, with type report, alert, export or subject'),
    h('button', { type: 'submit' }, 'Show'));
  replace(main, h('h1', { tabindex: '-1' }, `Audit trail — ${ctx.study}`), form, result);

  async function load(more: boolean): Promise<void> {
    try {
      const page = await ctx.api.get<AuditPage>(`/v1/studies/${enc(ctx.study)}/audit`, {
        from: from.value || undefined, to: to.value || undefined, entity: entity.value.trim() || undefined,
        limit: '100', next: more ? next : undefined,
      });
      events = more ? [...events, ...page.events] : page.events;
      next = page.next;
      render();
    } catch (e) {
      replace(result, errorBox(e));
    }
  }

  function copy(): void {
    const blob = new Blob([auditCsv(events)], { type: 'text/csv' });
    const url = URL.createObjectURL(blob);
    const a = h('a', { href: url, download: `audit-${ctx.study}-${from.value}-${to.value}.csv` });
    document.body.appendChild(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
  }

  function render(): void {
    replace(result,
      h('p', {}, `${events.length} event${events.length === 1 ? '' : 's'}${next ? ' so far' : ''}. `,
        events.length > 0 ? h('button', { type: 'button', onclick: copy }, 'Save these as CSV') : null),
      events.length === 0 ? null : h('table', { class: 'audit' },
        h('caption', { class: 'visually-hidden' }, 'Audit events, oldest first'),
        h('thead', {}, h('tr', {}, ...['When', 'Action', 'Who', 'Role', 'Entity', 'Reason', 'Details']
          .map((c) => h('th', { scope: 'col' }, c)))),
        h('tbody', {}, ...events.map((e) => h('tr', {},
          h('td', {}, when(e.at)), h('td', {}, e.action), h('td', { class: 'id' }, e.actor), h('td', {}, e.actorRole),
          h('td', { class: 'id' }, `${e.entityType}:${e.entityId}`), h('td', {}, e.reason ?? ''),
          h('td', { class: 'details' }, Object.entries(e.details ?? {}).map(([k, v]) => `${k}=${v}`).join(', ')))))),
      next ? h('button', { type: 'button', onclick: () => void load(true) }, 'Load more') : null);
  }

  void load(false);
  return { stop: () => undefined };
}

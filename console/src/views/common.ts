import { ApiError } from '../api';
import { h } from '../dom';
import { formatInstant, patientTime } from '../format';

/** A time in the viewer's zone; the patient's own device time and offset on hover and for screen readers. */
export function when(instant: string | undefined, authored?: string): HTMLElement {
  const patient = patientTime(authored);
  const el = h('time', { datetime: instant ?? '', title: patient ? `Patient's time: ${patient}` : null },
    formatInstant(instant));
  if (patient) el.appendChild(h('span', { class: 'visually-hidden' }, ` (patient's time ${patient})`));
  return el;
}

export function severityBadge(severity: string | undefined): HTMLElement {
  if (!severity) return h('span', {}, '—');
  return h('span', { class: `badge severity-${severity.toLowerCase()}` }, severity);
}

export function bandBadge(value: number | undefined, band?: string, display?: string): HTMLElement {
  return h('span', { class: `score band-${band ?? 'none'}` }, value === undefined ? '—' : String(value),
    display ? h('span', { class: 'band-name' }, ` ${display}`) : null);
}

export function errorMessage(e: unknown): string {
  if (e instanceof ApiError) {
    if (e.status === 404) return 'Not found, or not in a study you are assigned to.';
    if (e.status === 403) return `Not allowed: ${e.message}`;
    const fields = e.problem?.errors?.map((f) => f.detail).filter(Boolean).join(' ') ?? '';
    return `${e.message}${fields ? ` ${fields}` : ''}`;
  }
  return e instanceof Error ? e.message : String(e);
}

export function errorBox(e: unknown): HTMLElement {
  return h('p', { class: 'error', role: 'alert' }, errorMessage(e));
}

export function labelled(id: string, label: string, control: HTMLElement): HTMLElement {
  control.id = id;
  return h('div', { class: 'field' }, h('label', { for: id }, label), control);
}

export function select(options: { value: string; label: string }[], value: string): HTMLSelectElement {
  const el = h('select', {});
  for (const o of options) {
    const option = h('option', { value: o.value }, o.label);
    if (o.value === value) option.selected = true;
    el.appendChild(option);
  }
  return el;
}

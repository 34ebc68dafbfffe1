import type { Alert } from './types';

/** The inbox's filters; empty means any. Status is asked of the API, the rest filters what it returned. */
export interface AlertFilters {
  status: 'OPEN' | 'ACKNOWLEDGED' | '';
  siteId: string;
  severity: string;
  questionnaireId: string;
}

export const SEVERITIES = ['URGENT', 'HIGH', 'MEDIUM', 'LOW'];

export function severityRank(severity: string): number {
  const i = SEVERITIES.indexOf(severity);
  return i < 0 ? SEVERITIES.length : i;
}

/** The alerts the filters keep, newest first (raisedAt, then id, so equal times keep one order). */
export function filterAlerts(alerts: Alert[], filters: AlertFilters): Alert[] {
  return alerts
    .filter((a) => !filters.status || a.status === filters.status)
    .filter((a) => !filters.siteId || a.siteId === filters.siteId)
    .filter((a) => !filters.severity || a.severity === filters.severity)
    .filter((a) => !filters.questionnaireId || a.questionnaireId === filters.questionnaireId)
    .sort((a, b) => (a.raisedAt === b.raisedAt ? b.alertId.localeCompare(a.alertId) : b.raisedAt.localeCompare(a.raisedAt)));
}

/** Alerts in the latest poll that the previous one did not have (to announce and highlight them). */
export function arrivals(previous: Alert[] | null, current: Alert[]): Alert[] {
  if (previous === null) return [];
  const known = new Set(previous.map((a) => a.alertId));
  return current.filter((a) => !known.has(a.alertId));
}

/** Seconds an alert waited: until its acknowledgement, or until now while it is open. */
export function waitedSeconds(alert: Alert, now: number): number {
  if (alert.timeToAcknowledgeSeconds !== undefined && alert.timeToAcknowledgeSeconds !== null) {
    return alert.timeToAcknowledgeSeconds;
  }
  return Math.max(0, Math.floor((now - Date.parse(alert.raisedAt)) / 1000));
}

/** The distinct values of a field, sorted, for a filter's options. */
export function optionsOf(alerts: Alert[], field: 'siteId' | 'questionnaireId'): string[] {
  return [...new Set(alerts.map((a) => a[field]))].sort();
}

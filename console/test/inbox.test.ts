import { describe, expect, it } from 'vitest';
import { arrivals, filterAlerts, optionsOf, waitedSeconds } from '../src/inbox';
import type { Alert } from '../src/types';

function alert(id: string, raisedAt: string, over: Partial<Alert> = {}): Alert {
  return { alertId: id, reportId: `r-${id}`, version: 1, studyId: 'S', siteId: 'SITE-01', subjectId: `SUBJ-${id}`,
    questionnaireId: 'phq-9', questionnaire: 'q|1', ruleId: 'rule', severity: 'URGENT', status: 'OPEN', raisedAt,
    link: `/v1/alerts/${id}`, ...over };
}

const none = { status: '' as const, siteId: '', severity: '', questionnaireId: '' };

describe('alerts inbox', () => {
  it('shows the newest first and keeps only what every filter allows', () => {
    const a = alert('a', '2026-11-27T09:00:00.000Z');
    const b = alert('b', '2026-11-27T10:00:00.000Z', { siteId: 'SITE-02', severity: 'HIGH', questionnaireId: 'pain-nrs' });
    const c = alert('c', '2026-11-27T11:00:00.000Z', { status: 'ACKNOWLEDGED' });

    expect(filterAlerts([a, b, c], none).map((x) => x.alertId)).toEqual(['c', 'b', 'a']);
    expect(filterAlerts([a, b, c], { ...none, status: 'OPEN' }).map((x) => x.alertId)).toEqual(['b', 'a']);
    expect(filterAlerts([a, b, c], { ...none, siteId: 'SITE-02' }).map((x) => x.alertId)).toEqual(['b']);
    expect(filterAlerts([a, b, c], { ...none, severity: 'URGENT' }).map((x) => x.alertId)).toEqual(['c', 'a']);
    expect(filterAlerts([a, b, c], { ...none, questionnaireId: 'pain-nrs', severity: 'URGENT' })).toEqual([]);
    expect(optionsOf([a, b, c], 'siteId')).toEqual(['SITE-01', 'SITE-02']);
  });

  it('names the alerts a poll brought that the one before did not have, and none on the first poll', () => {
    const a = alert('a', '2026-11-27T09:00:00.000Z');
    const b = alert('b', '2026-11-27T10:00:00.000Z');
    expect(arrivals(null, [a])).toEqual([]);
    expect(arrivals([a], [b, a])).toEqual([b]);
    expect(arrivals([a, b], [b])).toEqual([]);
  });

  it('counts an open alert\'s wait until now, an acknowledged one\'s until its acknowledgement', () => {
    const raised = '2026-11-27T09:00:00.000Z';
    expect(waitedSeconds(alert('a', raised), Date.parse(raised) + 90_000)).toBe(90);
    expect(waitedSeconds(alert('a', raised, { status: 'ACKNOWLEDGED', timeToAcknowledgeSeconds: 420 }),
      Date.parse(raised) + 9_000_000)).toBe(420);
  });
});

import { describe, expect, it } from 'vitest';
import { auditCsv, csvField } from '../src/csv';

describe('audit CSV', () => {
  it('quotes what needs quoting and never lets a cell run as a formula', () => {
    expect(csvField('plain')).toBe('plain');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('=HYPERLINK("x")')).toBe(`"'=HYPERLINK(""x"")"`);
    expect(csvField(undefined)).toBe('');
  });

  it('writes one line per event with sorted details', () => {
    const csv = auditCsv([{ eventId: 'e', studyId: 'S', action: 'ALERT_ACKNOWLEDGED', actor: 'nurse', actorRole: 'research-nurse',
      at: '2026-11-27T09:38:00.000Z', entityType: 'ALERT', entityId: 'a1', reason: 'called the patient',
      details: { severity: 'URGENT', reportId: 'r1' } }]);
    expect(csv).toBe('at,action,actor,actorRole,entityType,entityId,reason,details\r\n'
      + '2026-11-27T09:38:00.000Z,ALERT_ACKNOWLEDGED,nurse,research-nurse,ALERT,a1,called the patient,reportId=r1; severity=URGENT\r\n');
  });
});

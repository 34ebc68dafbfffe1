import { describe, expect, it } from 'vitest';
import { allowedProfiles, formErrors, requestBody } from '../src/exports';

const form = { format: 'csv', from: '2026-11-01', to: '2026-11-27', siteId: '', questionnaires: [], profile: 'limited' };

describe('export form', () => {
  it('offers the identified profile only to the role that allows it', () => {
    expect(allowedProfiles(['research-nurse']).map((p) => p.code)).toEqual(['deidentified', 'limited']);
    expect(allowedProfiles(['data-manager', 'export-identified']).map((p) => p.code))
      .toEqual(['deidentified', 'limited', 'identified']);
    expect(formErrors({ ...form, profile: 'identified' }, ['research-nurse'])).toHaveProperty('profile');
  });

  it('names each bad field before sending anything', () => {
    expect(formErrors(form, [])).toEqual({});
    const errors = formErrors({ ...form, format: 'pdf', from: '27/11/2026', siteId: '../x' }, []);
    expect(Object.keys(errors).sort()).toEqual(['format', 'from', 'siteId']);
    expect(formErrors({ ...form, from: '2026-11-28' }, [])).toHaveProperty('to');
  });

  it('sends only what was chosen', () => {
    expect(requestBody(form)).toEqual({ format: 'csv', from: '2026-11-01', to: '2026-11-27', profile: 'limited' });
    expect(requestBody({ ...form, siteId: 'SITE-01', questionnaires: ['phq-9'] }))
      .toEqual({ format: 'csv', from: '2026-11-01', to: '2026-11-27', profile: 'limited', siteId: 'SITE-01', questionnaires: ['phq-9'] });
  });

  it('asks for the audit trail without a profile, site or questionnaires, which do not apply to it', () => {
    const trail = { ...form, format: 'audit-csv', siteId: 'SITE-01', questionnaires: ['phq-9'], profile: 'identified' };
    expect(formErrors(trail, ['research-nurse'])).toEqual({});
    expect(requestBody(trail)).toEqual({ format: 'audit-csv', from: '2026-11-01', to: '2026-11-27' });
  });

  it('asks for compliance with a profile and a site but no questionnaires, which do not apply to counts', () => {
    const counts = { ...form, format: 'compliance-csv', siteId: 'SITE-01', questionnaires: ['phq-9'] };
    expect(formErrors(counts, [])).toEqual({});
    expect(requestBody(counts))
      .toEqual({ format: 'compliance-csv', from: '2026-11-01', to: '2026-11-27', profile: 'limited', siteId: 'SITE-01' });
  });
});

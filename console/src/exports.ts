/** What the export form may offer a caller: formats, and only the profiles the caller's roles allow. */
export const FORMATS: { code: string; label: string }[] = [
  { code: 'csv', label: 'CSV (one row per report)' },
  { code: 'xlsx', label: 'Excel workbook (XLSX)' },
  { code: 'json', label: 'JSON' },
  { code: 'ndjson', label: 'NDJSON' },
  { code: 'fhir-ndjson', label: 'FHIR QuestionnaireResponse NDJSON' },
  { code: 'audit-csv', label: 'Audit trail (CSV, no answers)' },
  { code: 'compliance-csv', label: 'Schedule compliance by day (CSV, counts only)' },
];

/** The audit trail is exported as stored: no profile, site or questionnaires apply to it. */
export const AUDIT_TRAIL = 'audit-csv';

/** Compliance counts are not reports: questionnaires do not apply to them (the API refuses them, 422). */
export const COMPLIANCE = 'compliance-csv';

export const PROFILES: { code: string; label: string; role?: string }[] = [
  { code: 'deidentified', label: 'De-identified (pseudonyms, study days, no free text)' },
  { code: 'limited', label: 'Limited data set (pseudonyms, calendar dates)' },
  { code: 'identified', label: 'Identified (subject ids as stored)', role: 'export-identified' },
];

export function allowedProfiles(roles: string[]): { code: string; label: string }[] {
  return PROFILES.filter((p) => !p.role || roles.includes(p.role));
}

export interface ExportForm {
  format: string; from: string; to: string; siteId: string; questionnaires: string[]; profile: string;
}

/** The form's problems before anything is sent, by field. The API checks all of it again. */
export function formErrors(form: ExportForm, roles: string[]): Record<string, string> {
  const errors: Record<string, string> = {};
  if (!FORMATS.some((f) => f.code === form.format)) errors.format = 'Choose a format.';
  const day = /^\d{4}-\d{2}-\d{2}$/;
  if (!day.test(form.from)) errors.from = 'Enter the first day as YYYY-MM-DD.';
  if (!day.test(form.to)) errors.to = 'Enter the last day as YYYY-MM-DD.';
  if (!errors.from && !errors.to && form.from > form.to) errors.to = 'The last day must not be before the first.';
  if (form.siteId && !/^[A-Za-z0-9._-]{1,64}$/.test(form.siteId)) errors.siteId = 'A site id has letters, digits, . _ -';
  if (form.format !== AUDIT_TRAIL && !allowedProfiles(roles).some((p) => p.code === form.profile)) errors.profile = 'Choose a profile your role allows.';
  return errors;
}

/** The request body the export API takes. */
export function requestBody(form: ExportForm): Record<string, unknown> {
  if (form.format === AUDIT_TRAIL) return { format: form.format, from: form.from, to: form.to };
  const body: Record<string, unknown> = { format: form.format, from: form.from, to: form.to, profile: form.profile };
  if (form.siteId) body.siteId = form.siteId;
  if (form.questionnaires.length > 0 && form.format !== COMPLIANCE) body.questionnaires = form.questionnaires;
  return body;
}

export function finished(status: string): boolean {
  return status === 'SUCCEEDED' || status === 'FAILED';
}

/** Compliance counts as the schedule's API gives them (GET /v1/studies/{studyId}/compliance). */
export interface ComplianceCounts {
  expected: number; onTime: number; late: number; missed: number; adherencePercent: number | null;
}

export interface ComplianceRow extends ComplianceCounts { day?: string; siteId?: string; subjectId?: string }

export interface Compliance { studyId: string; from: string; to: string; by: string; rows: ComplianceRow[]; total: ComplianceCounts }

/** Below this adherence a subject is falling behind (the console's highlight; the protocol decides what it means). */
export const BEHIND_PERCENT = 80;

/** Subjects falling behind, worst first: below the threshold, or with a missed window and no adherence yet. */
export function fallingBehind(rows: ComplianceRow[], threshold = BEHIND_PERCENT): ComplianceRow[] {
  return rows
    .filter((r) => r.expected > 0 && (r.adherencePercent ?? 0) < threshold)
    .sort((a, b) => (a.adherencePercent ?? 0) - (b.adherencePercent ?? 0) || b.missed - a.missed
      || (a.subjectId ?? '').localeCompare(b.subjectId ?? ''));
}

/** Adherence in words for a cell: "92 %" or "—" when nothing was expected. */
export function percent(value: number | null | undefined): string {
  return value === null || value === undefined ? '—' : `${Math.round(value)} %`;
}

/** The API's JSON shapes the console reads (infra/openapi.yaml). */
export interface Alert {
  /** absent on an alert the schedule raised for missed windows: no report raised it */
  alertId: string; reportId?: string; version: number; studyId: string; siteId: string; subjectId: string;
  questionnaireId: string; questionnaire: string; ruleId: string; severity: string; status: string;
  raisedAt: string; acknowledgedAt?: string; acknowledgedBy?: string; timeToAcknowledgeSeconds?: number; link: string;
}

export interface AlertPage { items: Alert[]; next?: string }

export interface Band { min: number; max: number; code: string; display: string }

export interface ScoreScale { questionnaireId: string; id: string; title?: string; min?: number; max?: number; bands: Band[] }

export interface ScorePoint { id: string; value?: number; profile?: string; band?: string; bandDisplay?: string }

export interface TimelinePoint {
  reportId: string; version: number; siteId?: string; questionnaireId: string; questionnaireUrl: string;
  questionnaireVersion: string; authored?: string; authoredAt: string; receivedAt: string; scores: ScorePoint[];
}

export interface Timeline { studyId: string; subjectId: string; points: TimelinePoint[]; scoreScales: ScoreScale[]; next?: string }

export interface SubjectSummary {
  subjectId: string; siteId: string; firstReceivedAt?: string; lastAuthoredAt?: string; reports: number;
  onTime: number; late: number; amendments: number; onTimeRate?: number; openAlerts: number;
  highestOpenSeverity?: string; latest: TimelinePoint[];
}

export interface Roster { studyId: string; siteId?: string; subjects: SubjectSummary[]; next?: string }

export interface AnswerView {
  linkId: string; prefix?: string; text?: string; type: string; value?: number; code?: string; display?: string;
  valueText?: string; valueBoolean?: boolean; possiblyIdentifying: boolean;
}

export interface ReportVersion {
  version: number; status: string; authored: string; authoredAt: string; receivedAt: string; onTime: boolean;
  submittedBy?: string; amendmentReason?: string; changedItems: string[]; answers: AnswerView[];
  scores: { id: string; title?: string; value?: number; profile?: string; band?: string; bandDisplay?: string }[];
}

export interface AuditEvent {
  eventId: string; studyId: string; action: string; actor: string; actorRole: string; at: string;
  entityType: string; entityId: string; reason?: string; details: Record<string, string>;
}

export interface ReportView {
  reportId: string; studyId: string; siteId: string; subjectId: string;
  questionnaire: { id: string; url: string; version: string; title?: string };
  versions: ReportVersion[]; scoreScales: ScoreScale[]; history: AuditEvent[];
}

export interface AuditPage { studyId: string; from: string; to: string; entity?: string; events: AuditEvent[]; next?: string }

export interface ExportJob {
  exportId: string; studyId: string; status: string; format: string; profile: string; from: string; to: string;
  siteId?: string; questionnaires?: string[]; createdAt?: string; completedAt?: string; rowCount?: number;
  bytes?: number; sha256?: string; failureReason?: string; expired?: boolean;
  download?: { url: string; fileName: string; expiresAt: string };
}

export interface Problem { type?: string; title?: string; status?: number; detail?: string;
  errors?: { pointer?: string; detail?: string; code?: string }[] }

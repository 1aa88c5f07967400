// Shapes of the PAM REST API's responses (see shared/DESIGN.md, API section).

export interface Label {
  name: string;
  count: number;
  parents?: string[];
}

export interface SinglePut {
  key: string;
  method: 'PUT';
  url: string;
  headers?: Record<string, string>;
}

export interface MultipartPlan {
  key: string;
  multipart: {
    upload_id: string;
    part_size: number;
    parts: { part_number: number; url: string }[];
    complete_url: string;
    abort_url: string;
  };
}

export type UploadPlan = SinglePut | MultipartPlan;

export type Match = 'any' | 'all';
export type Tier = 'Expedited' | 'Standard' | 'Bulk';
export type Notify = { email: string } | { phone: string };

export interface DownloadRequest {
  labels: string[];
  match: Match;
  notify: Notify;
  tier: Tier;
}

export const STAGES = [
  'queued',
  'opening',
  'resolving',
  'restoring',
  'bundling',
  'notifying',
  'ready',
  'failed',
] as const;
export type Stage = (typeof STAGES)[number];

export interface JobStatus {
  job_id: string;
  stage: Stage;
  counts: { matched: number; archived: number; restored: number; zipped: number };
  link?: { url: string; expires_at: string; parts?: { url: string; size: number }[] };
  error?: { code: string; message: string };
}

export interface OutboxMessage {
  id: string;
  channel: 'email' | 'sms';
  subject?: string;
  body: string;
  created_at: string;
}

export interface Execution {
  execution_arn: string;
  name: string;
  state_machine: string;
  status: string;
  start_date: string;
  stop_date?: string | null;
}

export interface HistoryEvent {
  id: number;
  previousEventId?: number;
  timestamp: string | number;
  type: string;
  [details: string]: unknown;
}

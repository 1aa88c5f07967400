// The one place the app talks HTTP to PAM: adds the bearer token, turns every failure
// (JSON error body, other HTTP error, network failure) into an `ApiError`, and reports
// a 401 so the app can send the person back to sign-in.

import type {
  DownloadRequest,
  Execution,
  HistoryEvent,
  JobStatus,
  Label,
  OutboxMessage,
  UploadPlan,
} from './types';

export class ApiError extends Error {
  constructor(
    /** HTTP status; 0 when the request never got an answer. */
    readonly status: number,
    /** Machine-readable code from the server's `{"error":{"code"}}`, or one made here. */
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** Builds an `ApiError` from a response body that may be PAM JSON, S3 XML or anything. */
export function errorFromBody(status: number, statusText: string, body: string): ApiError {
  try {
    const parsed = JSON.parse(body) as { error?: { code?: unknown; message?: unknown } };
    const e = parsed.error;
    if (e && typeof e.code === 'string' && typeof e.message === 'string') {
      return new ApiError(status, e.code, e.message);
    }
  } catch {
    // not JSON; try the S3 XML shape below
  }
  const code = /<Code>([^<]*)<\/Code>/.exec(body)?.[1];
  const message = /<Message>([^<]*)<\/Message>/.exec(body)?.[1];
  if (code) return new ApiError(status, code, message ?? code);
  const text = body.trim().slice(0, 200);
  return new ApiError(
    status,
    `http_${status}`,
    text || statusText || `request failed with HTTP ${status}`,
  );
}

export interface ClientOptions {
  apiBase: string;
  getToken: () => string | null;
  onUnauthorized: () => void;
  fetchImpl?: typeof fetch;
}

export class ApiClient {
  private readonly fetchImpl: typeof fetch;

  constructor(private readonly opts: ClientOptions) {
    this.fetchImpl = opts.fetchImpl ?? ((...args) => fetch(...args));
  }

  /** Full URL for an API path such as `/labels`. */
  url(path: string): string {
    return `${this.opts.apiBase}${path}`;
  }

  /**
   * True when `url` points at the API (so it may carry the token) rather than at an
   * object store: a presigned store URL must never get an Authorization header.
   */
  isApiUrl(url: string): boolean {
    if (url.startsWith('/') && !url.startsWith('//')) return true;
    const base = this.opts.apiBase;
    if (/^https?:\/\//.test(base)) return url === base || url.startsWith(`${base}/`);
    if (typeof location === 'undefined') return false;
    const root = `${location.origin}${base}`;
    return url === root || url.startsWith(`${root}/`);
  }

  /** Sends a request to the API; `pathOrUrl` may be a path or an absolute API URL. */
  async request<T>(method: string, pathOrUrl: string, body?: unknown, auth = true): Promise<T> {
    const headers: Record<string, string> = { Accept: 'application/json' };
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    if (auth) {
      const token = this.opts.getToken();
      if (token) headers.Authorization = `Bearer ${token}`;
    }
    const url = /^https?:\/\//.test(pathOrUrl) ? pathOrUrl : this.url(pathOrUrl);
    let res: Response;
    try {
      res = await this.fetchImpl(url, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    } catch (e) {
      throw new ApiError(0, 'network', `could not reach the server (${(e as Error).message})`);
    }
    const text = await res.text();
    if (!res.ok) {
      const err = errorFromBody(res.status, res.statusText, text);
      if (res.status === 401 && auth) this.opts.onUnauthorized();
      throw err;
    }
    if (text === '') return undefined as T;
    try {
      return JSON.parse(text) as T;
    } catch {
      throw new ApiError(res.status, 'bad_response', 'the server sent a response that is not JSON');
    }
  }

  login(username: string, password: string) {
    return this.request<{ id_token: string; expires_in: number }>(
      'POST',
      '/auth/login',
      { username, password },
      false,
    );
  }

  async labels(): Promise<Label[]> {
    return (await this.request<{ labels: Label[] }>('GET', '/labels')).labels;
  }

  createUpload(fileName: string, size: number, contentType: string) {
    return this.request<UploadPlan>('POST', '/uploads', {
      file_name: fileName,
      size,
      content_type: contentType,
    });
  }

  startDownload(req: DownloadRequest) {
    return this.request<{ job_id: string }>('POST', '/downloads', req);
  }

  job(id: string) {
    return this.request<JobStatus>('GET', `/downloads/${encodeURIComponent(id)}`);
  }

  async outbox(): Promise<OutboxMessage[]> {
    return (await this.request<{ messages: OutboxMessage[] }>('GET', '/outbox')).messages;
  }

  async executions(): Promise<Execution[]> {
    return (await this.request<{ executions: Execution[] }>('GET', '/executions')).executions;
  }

  async history(arn: string): Promise<HistoryEvent[]> {
    const path = `/executions/${encodeURIComponent(arn)}/history`;
    return (await this.request<{ events: HistoryEvent[] }>('GET', path)).events;
  }
}

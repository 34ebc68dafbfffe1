import type { Problem } from './types';

/** A refused call, with the API's problem document (RFC 9457) when it sent one. */
export class ApiError extends Error {
  constructor(readonly status: number, readonly problem: Problem | null) {
    super(problem?.detail ?? problem?.title ?? `HTTP ${status}`);
  }
}

type Fetch = (input: string, init?: RequestInit) => Promise<Response>;

/** The OpenEPRO API with the session's bearer token. Query values travel in the query, never ids of people. */
export class ApiClient {
  constructor(private readonly baseUrl: string, private readonly token: () => string | null,
              private readonly onUnauthenticated: () => void, private readonly fetchFn: Fetch = (i, o) => fetch(i, o)) {
  }

  get<T>(path: string, query: Record<string, string | undefined> = {}): Promise<T> {
    return this.call<T>('GET', path, query);
  }

  post<T>(path: string, body: unknown): Promise<T> {
    return this.call<T>('POST', path, {}, body);
  }

  private async call<T>(method: string, path: string, query: Record<string, string | undefined>, body?: unknown):
      Promise<T> {
    const url = new URL(this.baseUrl + path);
    for (const [k, v] of Object.entries(query)) {
      if (v !== undefined && v !== '') url.searchParams.set(k, v);
    }
    const headers: Record<string, string> = { accept: 'application/json' };
    const token = this.token();
    if (token) headers.authorization = `Bearer ${token}`;
    if (body !== undefined) headers['content-type'] = 'application/json';
    const response = await this.fetchFn(url.toString(), {
      method, headers, body: body === undefined ? undefined : JSON.stringify(body), cache: 'no-store',
    });
    if (response.status === 401) this.onUnauthenticated();
    const text = await response.text();
    const parsed = text ? safeJson(text) : null;
    if (!response.ok) throw new ApiError(response.status, parsed as Problem | null);
    return parsed as T;
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

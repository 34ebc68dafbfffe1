import { challengeOf, randomVerifier } from './pkce';
import type { ConsoleSettings } from './settings';

/**
 * Sign-in with OAuth 2.0 authorization code and PKCE (RFC 7636), as a public client. The only
 * thing kept in browser storage is the session token (sessionStorage: gone with the tab), and,
 * for the length of one redirect, the PKCE verifier and state.
 */
export interface Session {
  accessToken: string;
  expiresAt: number;
}

const SESSION_KEY = 'openepro.session';
const PENDING_KEY = 'openepro.sign-in';

type Fetch = (input: string, init?: RequestInit) => Promise<Response>;

export function currentSession(storage: Storage, now = Date.now()): Session | null {
  const raw = storage.getItem(SESSION_KEY);
  if (!raw) return null;
  try {
    const s = JSON.parse(raw) as Session;
    if (typeof s.accessToken === 'string' && typeof s.expiresAt === 'number' && s.expiresAt > now + 10_000) return s;
  } catch {
    // unreadable: treated as signed out
  }
  storage.removeItem(SESSION_KEY);
  return null;
}

export function signOut(storage: Storage): void {
  storage.removeItem(SESSION_KEY);
  storage.removeItem(PENDING_KEY);
}

/** The authorization request URL; the verifier and state wait in storage for the redirect back. */
export async function authorizationUrl(settings: ConsoleSettings, redirectUri: string, storage: Storage):
    Promise<string> {
  const verifier = randomVerifier();
  const state = randomVerifier();
  storage.setItem(PENDING_KEY, JSON.stringify({ verifier, state, redirectUri }));
  const url = new URL(settings.authorizationEndpoint);
  url.searchParams.set('response_type', 'code');
  url.searchParams.set('client_id', settings.clientId);
  url.searchParams.set('redirect_uri', redirectUri);
  url.searchParams.set('scope', settings.scopes.join(' '));
  url.searchParams.set('state', state);
  url.searchParams.set('code_challenge', await challengeOf(verifier));
  url.searchParams.set('code_challenge_method', 'S256');
  return url.toString();
}

/**
 * Completes a sign-in when the page is the redirect back (?code&state): checks the state, redeems
 * the code with the verifier, keeps the token. Null when the page is not a redirect back.
 */
export async function completeSignIn(settings: ConsoleSettings, pageUrl: string, storage: Storage, fetchFn: Fetch,
                                     now = Date.now()): Promise<Session | null> {
  const url = new URL(pageUrl);
  const code = url.searchParams.get('code');
  const error = url.searchParams.get('error');
  if (!code && !error) return null;
  const pendingRaw = storage.getItem(PENDING_KEY);
  storage.removeItem(PENDING_KEY);
  if (error) throw new Error(`sign-in was refused: ${error}`);
  if (!pendingRaw) throw new Error('no sign-in was started in this tab');
  const pending = JSON.parse(pendingRaw) as { verifier: string; state: string; redirectUri: string };
  if (url.searchParams.get('state') !== pending.state) throw new Error('the sign-in answer does not match this tab');
  const body = new URLSearchParams({
    grant_type: 'authorization_code',
    code: code ?? '',
    redirect_uri: pending.redirectUri,
    client_id: settings.clientId,
    code_verifier: pending.verifier,
  });
  const response = await fetchFn(settings.tokenEndpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: body.toString(),
  });
  if (!response.ok) throw new Error(`the sign-in code could not be redeemed (HTTP ${response.status})`);
  const token = (await response.json()) as { access_token?: string; expires_in?: number };
  if (!token.access_token) throw new Error('the issuer answered without an access token');
  const session = { accessToken: token.access_token, expiresAt: now + (token.expires_in ?? 900) * 1000 };
  storage.setItem(SESSION_KEY, JSON.stringify(session));
  return session;
}

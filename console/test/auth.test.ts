import { beforeEach, describe, expect, it } from 'vitest';
import { authorizationUrl, completeSignIn, currentSession, signOut } from '../src/auth';
import { challengeOf } from '../src/pkce';
import type { ConsoleSettings } from '../src/settings';

class MemoryStorage implements Storage {
  private items = new Map<string, string>();
  get length() { return this.items.size; }
  clear() { this.items.clear(); }
  getItem(k: string) { return this.items.has(k) ? this.items.get(k)! : null; }
  key(i: number) { return [...this.items.keys()][i] ?? null; }
  removeItem(k: string) { this.items.delete(k); }
  setItem(k: string, v: string) { this.items.set(k, String(v)); }
  keys() { return [...this.items.keys()]; }
}

const settings: ConsoleSettings = {
  issuer: 'https://auth.example', clientId: 'staff-console',
  authorizationEndpoint: 'https://auth.example/oauth2/authorize', tokenEndpoint: 'https://auth.example/oauth2/token',
  apiUrl: 'https://api.example', scopes: ['openid', 'epro/alerts', 'epro/export'],
};
const REDIRECT = 'https://console.example/';

describe('sign-in with authorization code and PKCE', () => {
  let storage: MemoryStorage;
  beforeEach(() => { storage = new MemoryStorage(); });

  it('asks for a code with an S256 challenge of the verifier it keeps for the redirect', async () => {
    const url = new URL(await authorizationUrl(settings, REDIRECT, storage));

    expect(url.origin + url.pathname).toBe('https://auth.example/oauth2/authorize');
    expect(url.searchParams.get('response_type')).toBe('code');
    expect(url.searchParams.get('client_id')).toBe('staff-console');
    expect(url.searchParams.get('redirect_uri')).toBe(REDIRECT);
    expect(url.searchParams.get('scope')).toBe('openid epro/alerts epro/export');
    expect(url.searchParams.get('code_challenge_method')).toBe('S256');
    const pending = JSON.parse(storage.getItem('openepro.sign-in')!);
    expect(url.searchParams.get('code_challenge')).toBe(await challengeOf(pending.verifier));
    expect(url.searchParams.get('state')).toBe(pending.state);
    // the verifier itself never travels in the authorization request
    expect(url.toString()).not.toContain(pending.verifier);
  });

  it('redeems the code with the verifier and keeps only the session token', async () => {
    const authorize = new URL(await authorizationUrl(settings, REDIRECT, storage));
    const { verifier } = JSON.parse(storage.getItem('openepro.sign-in')!);
    const sent: { url: string; body: string }[] = [];
    const fetchFn = async (url: string, init?: RequestInit) => {
      sent.push({ url, body: String(init?.body) });
      return new Response(JSON.stringify({ access_token: 'a.b.c', expires_in: 900, token_type: 'Bearer' }), { status: 200 });
    };

    const session = await completeSignIn(settings, `${REDIRECT}?code=xyz&state=${authorize.searchParams.get('state')}`,
      storage, fetchFn, 1_000_000);

    expect(session).toEqual({ accessToken: 'a.b.c', expiresAt: 1_000_000 + 900_000 });
    expect(sent).toHaveLength(1);
    expect(sent[0].url).toBe(settings.tokenEndpoint);
    const form = new URLSearchParams(sent[0].body);
    expect(form.get('grant_type')).toBe('authorization_code');
    expect(form.get('code')).toBe('xyz');
    expect(form.get('code_verifier')).toBe(verifier);
    expect(form.get('redirect_uri')).toBe(REDIRECT);
    expect(storage.keys()).toEqual(['openepro.session']);
    expect(currentSession(storage, 1_000_000)).toEqual(session);
  });

  it('refuses an answer whose state is not this tab\'s, and redeems nothing', async () => {
    await authorizationUrl(settings, REDIRECT, storage);
    let calls = 0;
    const fetchFn = async () => { calls++; return new Response('{}'); };

    await expect(completeSignIn(settings, `${REDIRECT}?code=xyz&state=forged`, storage, fetchFn)).rejects.toThrow(/does not match/);
    expect(calls).toBe(0);
    expect(storage.length).toBe(0);
  });

  it('is not a redirect back without a code, and a session ends at its expiry', async () => {
    expect(await completeSignIn(settings, REDIRECT, storage, async () => new Response('{}'))).toBeNull();
    storage.setItem('openepro.session', JSON.stringify({ accessToken: 't', expiresAt: 5_000 }));
    expect(currentSession(storage, 100_000)).toBeNull();
    expect(storage.length).toBe(0);
    storage.setItem('openepro.session', JSON.stringify({ accessToken: 't', expiresAt: 500_000 }));
    signOut(storage);
    expect(storage.length).toBe(0);
  });
});

import { describe, expect, it } from 'vitest';
import { loadSettings } from '../src/settings';

function responder(routes: Record<string, unknown>) {
  const asked: string[] = [];
  const fetchFn = async (url: string) => {
    asked.push(url);
    return url in routes ? new Response(JSON.stringify(routes[url]), { status: 200 }) : new Response('', { status: 404 });
  };
  return { fetchFn, asked };
}

describe('console settings', () => {
  it('on the local runtime: the API is the page origin and the sign-in page is relative to it', async () => {
    const { fetchFn } = responder({
      'http://127.0.0.1:3000/v1/console/config': { issuer: 'https://auth.openepro.local', clientId: 'local-console',
        authorizationEndpoint: '/console/local-sign-in', tokenEndpoint: '/console/local-token', apiUrl: '', scopes: [] },
    });

    const s = await loadSettings('http://127.0.0.1:3000/console/#/alerts', fetchFn);

    expect(s.apiUrl).toBe('http://127.0.0.1:3000');
    expect(s.authorizationEndpoint).toBe('http://127.0.0.1:3000/console/local-sign-in');
    expect(s.tokenEndpoint).toBe('http://127.0.0.1:3000/console/local-token');
    expect(s.scopes).toEqual(['openid', 'epro/alerts', 'epro/export']);
  });

  it('deployed: the pointer file names the API, and the issuer\'s discovery fills missing endpoints', async () => {
    const { fetchFn, asked } = responder({
      'https://d1.cloudfront.net/console-settings.json': { apiUrl: 'https://abc.execute-api.eu-west-1.amazonaws.com/' },
      'https://abc.execute-api.eu-west-1.amazonaws.com/v1/console/config': { issuer: 'https://id.example/realms/epro',
        clientId: 'console', authorizationEndpoint: '', tokenEndpoint: '', scopes: ['openid', 'epro/alerts'] },
      'https://id.example/realms/epro/.well-known/openid-configuration': {
        authorization_endpoint: 'https://id.example/realms/epro/auth', token_endpoint: 'https://id.example/realms/epro/token' },
    });

    const s = await loadSettings('https://d1.cloudfront.net/', fetchFn);

    expect(s.apiUrl).toBe('https://abc.execute-api.eu-west-1.amazonaws.com');
    expect(s.authorizationEndpoint).toBe('https://id.example/realms/epro/auth');
    expect(s.tokenEndpoint).toBe('https://id.example/realms/epro/token');
    expect(s.scopes).toEqual(['openid', 'epro/alerts']);
    expect(asked[0]).toBe('https://d1.cloudfront.net/console-settings.json');
  });
});

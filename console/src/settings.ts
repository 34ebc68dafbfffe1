/**
 * Where the console finds its API and its sign-in: one build serves every stack. The deployed bucket
 * holds a console-settings.json naming the API (written by `make console-deploy`); without it the
 * API is the page's own origin (the local runtime serves both). The API's unauthenticated
 * GET /v1/console/config names the issuer, the client and, when the issuer's discovery document
 * cannot be read from a browser (Cognito's hosted UI), the endpoints.
 */
export interface ConsoleSettings {
  issuer: string;
  clientId: string;
  authorizationEndpoint: string;
  tokenEndpoint: string;
  apiUrl: string;
  scopes: string[];
}

type Fetch = (input: string, init?: RequestInit) => Promise<Response>;

function withoutTrailingSlash(url: string): string {
  return url.replace(/\/+$/, '');
}

export async function loadSettings(pageUrl: string, fetchFn: Fetch): Promise<ConsoleSettings> {
  const page = new URL(pageUrl);
  let apiUrl = page.origin;
  try {
    const pointer = await fetchFn(new URL('console-settings.json', page).toString(), { cache: 'no-store' });
    if (pointer.ok) {
      const body = (await pointer.json()) as { apiUrl?: unknown };
      if (typeof body.apiUrl === 'string' && /^https?:\/\//.test(body.apiUrl)) apiUrl = body.apiUrl;
    }
  } catch {
    // no pointer file: the API is this origin
  }
  apiUrl = withoutTrailingSlash(apiUrl);
  const response = await fetchFn(`${apiUrl}/v1/console/config`, { cache: 'no-store' });
  if (!response.ok) throw new Error(`the console settings could not be read (HTTP ${response.status})`);
  const config = (await response.json()) as Partial<ConsoleSettings>;
  const settings: ConsoleSettings = {
    issuer: config.issuer ?? '',
    clientId: config.clientId ?? '',
    authorizationEndpoint: config.authorizationEndpoint ?? '',
    tokenEndpoint: config.tokenEndpoint ?? '',
    apiUrl: withoutTrailingSlash(config.apiUrl || apiUrl),
    scopes: config.scopes && config.scopes.length > 0 ? config.scopes : ['openid', 'epro/alerts', 'epro/export'],
  };
  if ((!settings.authorizationEndpoint || !settings.tokenEndpoint) && settings.issuer) {
    const discovery = await fetchFn(`${withoutTrailingSlash(settings.issuer)}/.well-known/openid-configuration`);
    if (!discovery.ok) throw new Error(`the issuer's discovery document could not be read (HTTP ${discovery.status})`);
    const doc = (await discovery.json()) as { authorization_endpoint?: string; token_endpoint?: string };
    settings.authorizationEndpoint ||= doc.authorization_endpoint ?? '';
    settings.tokenEndpoint ||= doc.token_endpoint ?? '';
  }
  // relative endpoints (the local runtime's sign-in page) are relative to the API
  settings.authorizationEndpoint = new URL(settings.authorizationEndpoint, `${settings.apiUrl}/`).toString();
  settings.tokenEndpoint = new URL(settings.tokenEndpoint, `${settings.apiUrl}/`).toString();
  return settings;
}

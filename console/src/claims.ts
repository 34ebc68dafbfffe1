/** What the console reads from the access token to shape its screens; the API checks every claim itself. */
export interface StaffClaims {
  subject: string;
  studies: string[];
  roles: string[];
  scopes: string[];
  expiresAt: number;
}

function base64UrlDecode(part: string): string {
  const b64 = part.replace(/-/g, '+').replace(/_/g, '/').padEnd(Math.ceil(part.length / 4) * 4, '=');
  const binary = atob(b64);
  const bytes = Uint8Array.from(binary, (c) => c.charCodeAt(0));
  return new TextDecoder().decode(bytes);
}

/**
 * A list claim in any form issuers use: a JSON array, "[a b]" or "[a, b]" (API Gateway's string
 * form), or a space- or comma-separated string. The same reading as the API's Caller.
 */
export function listClaim(raw: unknown): string[] {
  if (Array.isArray(raw)) return raw.map(String).filter((s) => s.length > 0);
  if (typeof raw !== 'string') return [];
  let s = raw.trim();
  if (s.startsWith('[') && s.endsWith(']')) s = s.slice(1, -1);
  return s.split(/[,\s]+/).map((p) => p.trim().replace(/^"(.*)"$/, '$1')).filter((p) => p.length > 0);
}

export function readClaims(accessToken: string): StaffClaims {
  const parts = accessToken.split('.');
  if (parts.length !== 3) throw new Error('not a JWT');
  const payload = JSON.parse(base64UrlDecode(parts[1])) as Record<string, unknown>;
  return {
    subject: typeof payload.sub === 'string' ? payload.sub : '',
    studies: listClaim(payload.studies ?? payload['custom:studies']),
    roles: listClaim(payload.roles ?? payload['custom:roles']),
    scopes: listClaim(payload.scope ?? payload.scp),
    expiresAt: typeof payload.exp === 'number' ? payload.exp * 1000 : 0,
  };
}

import { describe, expect, it } from 'vitest';
import { listClaim, readClaims } from '../src/claims';
import { base64Url } from '../src/pkce';

function token(payload: object): string {
  const b64 = (o: object) => base64Url(new TextEncoder().encode(JSON.stringify(o)));
  return `${b64({ alg: 'RS256' })}.${b64(payload)}.sig`;
}

describe('claims', () => {
  it('reads list claims in every form issuers send, as the API does', () => {
    expect(listClaim('[STUDY-1 STUDY-2]')).toEqual(['STUDY-1', 'STUDY-2']);
    expect(listClaim('[STUDY-1, STUDY-2]')).toEqual(['STUDY-1', 'STUDY-2']);
    expect(listClaim('STUDY-1,STUDY-2')).toEqual(['STUDY-1', 'STUDY-2']);
    expect(listClaim(['STUDY-1'])).toEqual(['STUDY-1']);
    expect(listClaim('["a", "b"]')).toEqual(['a', 'b']);
    expect(listClaim(undefined)).toEqual([]);
  });

  it('takes studies, roles and scopes from the access token', () => {
    const c = readClaims(token({ sub: 'nurse-1', studies: 'STUDY-DEMO', roles: ['research-nurse'],
      scope: 'epro/alerts epro/export', exp: 2_000_000_000 }));
    expect(c).toEqual({ subject: 'nurse-1', studies: ['STUDY-DEMO'], roles: ['research-nurse'],
      scopes: ['epro/alerts', 'epro/export'], expiresAt: 2_000_000_000_000 });
  });
});

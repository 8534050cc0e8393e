import { SignJWT } from 'jose';
import { DEV_JWT_AUDIENCE, DEV_JWT_ISSUER, DevJwtKey } from '../../../infra/local/dev-jwt';

const SECRET = 'a-dev-key-for-this-test-only-0001';

function tokenUnder(alg: string, secret = SECRET): Promise<string> {
  return new SignJWT({ role: 'admin', marketplaces: '*' })
    .setProtectedHeader({ alg })
    .setSubject('someone')
    .setIssuer(DEV_JWT_ISSUER)
    .setAudience(DEV_JWT_AUDIENCE)
    .setExpirationTime('1h')
    .sign(new TextEncoder().encode(secret));
}

describe('DevJwtKey', () => {
  const key = new DevJwtKey(SECRET);

  it('verifies its own tokens, with every claim as a string', async () => {
    const token = await key.sign({ subject: 'alice', role: 'agent', marketplaces: 'demo' });
    expect(await key.verify(`Bearer ${token}`)).toMatchObject({ sub: 'alice', role: 'agent', marketplaces: 'demo', iss: DEV_JWT_ISSUER, aud: DEV_JWT_AUDIENCE });
    expect(await key.verify(`Bearer ${await tokenUnder('HS256')}`)).toMatchObject({ sub: 'someone' });
  });

  it.each(['HS384', 'HS512'])('refuses a token signed with its own key under %s: the algorithm is pinned to HS256', async (alg) => {
    expect(await key.verify(`Bearer ${await tokenUnder(alg)}`)).toBeUndefined();
  });

  it('refuses an unsigned token and one signed with another key', async () => {
    const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
    const unsigned = `${encode({ alg: 'none' })}.${encode({ role: 'admin', sub: 'x', iss: DEV_JWT_ISSUER, aud: DEV_JWT_AUDIENCE })}.`;
    expect(await key.verify(`Bearer ${unsigned}`)).toBeUndefined();
    expect(await key.verify(`Bearer ${await tokenUnder('HS256', 'another-key-another-key-another-key')}`)).toBeUndefined();
  });
});

import { createRemoteJWKSet, jwtVerify, type JWTPayload, type JWTVerifyGetKey } from 'jose';

/**
 * Bearer tokens verified by a function itself, on a route the gateway leaves open because
 * its other callers sign their requests instead (`GET /webhooks/{marketplace}/events/{id}`).
 * The checks are the gateway's: the issuer's signature, `iss`, `aud` and expiry.
 *
 * - `JWT_ISSUER`, `JWT_AUDIENCE`: as the gateway's JWT authorizer has them (the stack's
 *   `JwtIssuer` and `JwtAudience`); the issuer's keys are found through its
 *   `/.well-known/openid-configuration`, as the gateway finds them.
 * - `JWT_DEV_KEY`: the local runtime's dev tokens are HS256 under this key. Honoured only for
 *   the local issuer `aftercare-local`; a deployed stack's issuer is an https URL.
 */
export const BEARER_ENV = { issuer: 'JWT_ISSUER', audience: 'JWT_AUDIENCE', devKey: 'JWT_DEV_KEY' } as const;

const LOCAL_ISSUER = 'aftercare-local';

/** The verified claims of `Authorization: Bearer <token>`, or undefined for a missing, forged or expired token. */
export type BearerVerifier = (authorization: string | undefined) => Promise<JWTPayload | undefined>;

export function bearerVerifierFromEnv(env: NodeJS.ProcessEnv = process.env): BearerVerifier {
  let issuerKeys: { issuer: string; keys: Promise<JWTVerifyGetKey> } | undefined;
  const keysOf = (issuer: string) => {
    if (issuerKeys?.issuer !== issuer) issuerKeys = { issuer, keys: discoverKeys(issuer) };
    const { keys } = issuerKeys;
    keys.catch(() => (issuerKeys = undefined)); // a failed discovery is tried again on the next request
    return keys;
  };

  return async (authorization) => {
    const token = /^Bearer (.+)$/i.exec(authorization ?? '')?.[1];
    // Read at each call: the local runtime sets them after it loads the handlers.
    const issuer = env[BEARER_ENV.issuer];
    const audience = env[BEARER_ENV.audience];
    const devKey = env[BEARER_ENV.devKey];
    if (!token || !issuer || !audience) return undefined;
    try {
      const { payload } =
        issuer === LOCAL_ISSUER && devKey
          ? await jwtVerify(token, new TextEncoder().encode(devKey), { algorithms: ['HS256'], issuer, audience })
          : await jwtVerify(token, await keysOf(issuer), { issuer, audience });
      return payload;
    } catch {
      return undefined;
    }
  };
}

/** The issuer's signing keys, from the `jwks_uri` of its OpenID configuration. */
async function discoverKeys(issuer: string): Promise<JWTVerifyGetKey> {
  const response = await fetch(`${issuer.replace(/\/+$/, '')}/.well-known/openid-configuration`, { signal: AbortSignal.timeout(5_000) });
  if (!response.ok) throw new Error(`OpenID configuration of ${issuer}: ${response.status}`);
  const { jwks_uri: jwksUri } = (await response.json()) as { jwks_uri?: string };
  if (!jwksUri) throw new Error(`OpenID configuration of ${issuer} names no jwks_uri`);
  return createRemoteJWKSet(new URL(jwksUri));
}

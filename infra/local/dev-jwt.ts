import { randomBytes } from 'node:crypto';
import { jwtVerify, SignJWT } from 'jose';
import type { Role } from '@shared/auth/caller';

/** The one algorithm dev tokens are signed with; a token naming any other is refused, whatever its signature. */
const DEV_JWT_ALGORITHM = 'HS256';

/** Issuer and audience of local dev tokens; in AWS they are the stack's JwtIssuer/JwtAudience parameters. */
export const DEV_JWT_ISSUER = 'aftercare-local';
export const DEV_JWT_AUDIENCE = 'aftercare';

/**
 * Signs and verifies the local runtime's dev tokens (HS256). The key is random per start
 * unless `AFTERCARE_DEV_JWT_KEY` gives one, and is printed at start so tools can mint tokens.
 */
export class DevJwtKey {
  readonly secret: string;
  private readonly key: Uint8Array;

  constructor(secret: string = process.env.AFTERCARE_DEV_JWT_KEY || randomBytes(32).toString('hex')) {
    this.secret = secret;
    this.key = new TextEncoder().encode(secret);
  }

  /** A token for `role`, seeing `marketplaces` (space-separated, `*` for all), valid for 12 hours. */
  sign(claims: { subject: string; role: Role; marketplaces: string }): Promise<string> {
    return new SignJWT({ role: claims.role, marketplaces: claims.marketplaces })
      .setProtectedHeader({ alg: DEV_JWT_ALGORITHM })
      .setSubject(claims.subject)
      .setIssuer(DEV_JWT_ISSUER)
      .setAudience(DEV_JWT_AUDIENCE)
      .setIssuedAt()
      .setExpirationTime('12h')
      .sign(this.key);
  }

  /**
   * The claims of a valid token as API Gateway's JWT authorizer passes them to a handler
   * (every value a string), or `undefined` for a missing, forged or expired token.
   */
  async verify(authorization: string | undefined): Promise<Record<string, string> | undefined> {
    const token = /^Bearer (.+)$/i.exec(authorization ?? '')?.[1];
    if (!token) return undefined;
    try {
      // Pinned: without `algorithms`, jose accepts every HMAC algorithm (HS384, HS512) for this key.
      const { payload } = await jwtVerify(token, this.key, { algorithms: [DEV_JWT_ALGORITHM], issuer: DEV_JWT_ISSUER, audience: DEV_JWT_AUDIENCE });
      return Object.fromEntries(
        Object.entries(payload).map(([name, value]) => [name, typeof value === 'string' ? value : JSON.stringify(value)]),
      );
    } catch {
      return undefined;
    }
  }
}

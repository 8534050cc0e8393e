import { ROLES, type Role } from '@shared/auth/roles';

/** Who is signed in: the bearer token and what its claims say. */
export interface Session {
  readonly token: string;
  readonly subject: string;
  readonly role: Role;
  /** The marketplaces the token grants; `*` for all. */
  readonly marketplaces: readonly string[];
  /** Unix seconds. */
  readonly expiresAt?: number;
}

const STORAGE_KEY = 'aftercare.session';

/**
 * Reads the claims the API authorizes by (`sub`, `role`, `marketplaces`) from a JWT. The
 * signature is the API's to check; the console only needs to know what to show.
 */
export function sessionFromToken(token: string): Session {
  const payload = token.split('.')[1];
  if (!payload) throw new Error('not a JWT');
  const json = atob(payload.replace(/-/g, '+').replace(/_/g, '/'));
  const claims = JSON.parse(new TextDecoder().decode(Uint8Array.from(json, (c) => c.charCodeAt(0)))) as Record<string, unknown>;
  const role = claims.role as Role;
  if (!ROLES.includes(role)) throw new Error(`the token's role claim (${String(claims.role)}) is not one of ${ROLES.join(', ')}`);
  return {
    token,
    subject: String(claims.sub ?? ''),
    role,
    marketplaces: String(claims.marketplaces ?? '').split(/\s+/).filter(Boolean),
    expiresAt: typeof claims.exp === 'number' ? claims.exp : undefined,
  };
}

/** Kept per browser tab: closing the tab signs out. */
export function savedSession(): Session | undefined {
  const raw = sessionStorage.getItem(STORAGE_KEY);
  if (!raw) return undefined;
  const session = JSON.parse(raw) as Session;
  if (session.expiresAt && session.expiresAt * 1000 < Date.now()) return undefined;
  return session;
}

export function saveSession(session: Session | undefined): void {
  if (session) sessionStorage.setItem(STORAGE_KEY, JSON.stringify(session));
  else sessionStorage.removeItem(STORAGE_KEY);
}

/** The marketplace to query by default: the first the token names, unless it grants all. */
export function defaultMarketplace(session: Session): string {
  return session.marketplaces.find((marketplace) => marketplace !== '*') ?? 'demo';
}

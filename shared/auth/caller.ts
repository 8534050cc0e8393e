import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { z } from 'zod';
import { ForbiddenError, UnauthorizedError } from '@shared/errors';
import { ROLES, type Role } from './roles';

export { ROLES, type Role };

/** Who is calling, from the JWT claims the gateway verified. */
export interface Caller {
  readonly subject: string;
  readonly role: Role;
  /** Marketplaces the caller may see; `*` grants all. */
  readonly marketplaces: readonly string[];
}

/**
 * API Gateway's JWT authorizer passes claims as strings, so the marketplace grant is a
 * space-separated string claim (`"marketplaces": "acme demo"`), as OAuth scopes are.
 */
const claimsSchema = z.object({
  sub: z.string().min(1),
  role: z.enum(ROLES),
  marketplaces: z.string().default(''),
});

interface JwtAuthorizerContext {
  authorizer?: { jwt?: { claims?: Record<string, unknown> } };
}

/** The verified caller of a JWT route; 401 when the gateway passed no usable claims. */
export function callerOf(event: APIGatewayProxyEventV2): Caller {
  return callerFromClaims((event.requestContext as JwtAuthorizerContext).authorizer?.jwt?.claims);
}

/** The caller named by verified JWT claims; 401 when there are none, or no usable ones. */
export function callerFromClaims(claims: unknown): Caller {
  const parsed = claimsSchema.safeParse(claims);
  if (!parsed.success) throw new UnauthorizedError('a valid bearer token with sub and role claims is required');
  return {
    subject: parsed.data.sub,
    role: parsed.data.role,
    marketplaces: parsed.data.marketplaces.split(/\s+/).filter(Boolean),
  };
}

/** 403 unless the caller holds one of `roles`. */
export function requireRole(caller: Caller, roles: readonly Role[]): void {
  if (!roles.includes(caller.role)) {
    throw new ForbiddenError(`role ${caller.role} may not do this; allowed: ${roles.join(', ')}`);
  }
}

/** Whether the caller's grant covers `marketplace`. */
export function canSeeMarketplace(caller: Caller, marketplace: string): boolean {
  return caller.marketplaces.includes('*') || caller.marketplaces.includes(marketplace);
}

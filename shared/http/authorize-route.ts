import type { MiddlewareObj } from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { callerOf } from '@shared/auth/caller';
import { requireRouteRole, rolesFor } from '@shared/auth/route-access';
import { UnauthorizedError } from '@shared/errors';

interface AuthorizerContext {
  authorizer?: { jwt?: unknown };
}

/**
 * Enforces the route × role table (shared/auth/route-access.ts) before any handler runs:
 * - a route the table names needs verified JWT claims (401 without) and an allowed role (403);
 * - a request that came through the JWT authorizer on a route the table does not name is
 *   refused (403): a new JWT route is closed until someone says who may call it;
 * - open routes (signed webhooks, the public contract) pass untouched.
 */
export function authorizeRoute(): MiddlewareObj<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2> {
  return {
    before: async function checkRouteAccess(request) {
      const { routeKey } = request.event;
      const viaJwtAuthorizer = (request.event.requestContext as AuthorizerContext).authorizer?.jwt !== undefined;
      const listed = rolesFor(routeKey).length > 0;
      if (!listed && !viaJwtAuthorizer) return;
      if (listed && !viaJwtAuthorizer) throw new UnauthorizedError('a valid bearer token is required');
      requireRouteRole(callerOf(request.event), routeKey);
    },
  };
}

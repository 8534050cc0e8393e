import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { observed } from '@shared/observability/handlers';
import { authorizeRoute } from './authorize-route';
import { httpErrorHandler } from './error-middleware';
import { logContext } from './log-context';

export type HttpHandler = (
  event: APIGatewayProxyEventV2,
  context: Context,
) => Promise<APIGatewayProxyStructuredResultV2>;

/**
 * Wraps a route handler with what every function shares (tracing, metrics: see
 * shared/observability/handlers.ts) and the HTTP middlewares every route shares: log context
 * (correlation and ticket ids), the route × role check, and errors turned into answers.
 */
export function httpHandler(handler: HttpHandler) {
  return observed<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2>(handler)
    .use(logContext())
    .use(httpErrorHandler())
    .use(authorizeRoute());
}

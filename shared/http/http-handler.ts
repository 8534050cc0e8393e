import middy from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { authorizeRoute } from './authorize-route';
import { httpErrorHandler } from './error-middleware';
import { logContext } from './log-context';

export type HttpHandler = (
  event: APIGatewayProxyEventV2,
  context: Context,
) => Promise<APIGatewayProxyStructuredResultV2>;

/**
 * Wraps a route handler with the HTTP middlewares every route shares: log context
 * (correlation and ticket ids), the route × role check, and errors turned into answers.
 * middy's early-timeout abort is off: handlers finish well inside their timeout, and its
 * timer would keep test processes alive.
 */
export function httpHandler(handler: HttpHandler) {
  return middy<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2>(handler, { timeoutEarlyInMillis: 0 })
    .use(logContext())
    .use(httpErrorHandler())
    .use(authorizeRoute());
}

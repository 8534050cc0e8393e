import middy from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { httpErrorHandler } from './error-middleware';

export type HttpHandler = (
  event: APIGatewayProxyEventV2,
  context: Context,
) => Promise<APIGatewayProxyStructuredResultV2>;

/**
 * Wraps a route handler with the HTTP middlewares every route shares. middy's early-timeout
 * abort is off: handlers finish well inside their timeout, and its timer would keep test
 * processes alive.
 */
export function httpHandler(handler: HttpHandler) {
  return middy<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2>(handler, { timeoutEarlyInMillis: 0 }).use(
    httpErrorHandler(),
  );
}

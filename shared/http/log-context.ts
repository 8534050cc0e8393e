import type { MiddlewareObj } from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { logger } from '@shared/logger';

/**
 * Puts the correlation id (the `x-correlation-id` header when the caller sent one, else the
 * gateway's request id), the route and the ticket id in the path on every log line of the
 * request, and takes them off afterwards so the next invocation starts clean. Only ids go
 * in: never bodies, tokens or customer data.
 */
export function logContext(): MiddlewareObj<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2> {
  const clear = async () => logger.resetKeys();
  return {
    before: async function appendRequestKeys(request) {
      const { event } = request;
      const correlationId = event.headers?.['x-correlation-id'] || event.requestContext?.requestId;
      logger.appendKeys({
        correlationId,
        routeKey: event.routeKey,
        ...(event.pathParameters?.id ? { ticketId: event.pathParameters.id } : {}),
      });
    },
    after: clear,
    onError: clear,
  };
}

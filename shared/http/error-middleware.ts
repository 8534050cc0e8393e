import type { MiddlewareObj } from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { AftercareError } from '@shared/errors';
import { logger } from '@shared/logger';
import { jsonResponse } from './responses';

/**
 * Turns errors into HTTP answers. Only errors that carry a status below 500 are shown to
 * the caller (message and safe details); anything else is logged with its detail and
 * answered with a generic 500, so internals never leak.
 */
export function httpErrorHandler(): MiddlewareObj<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2> {
  return {
    onError: async function answerWithStatus(request) {
      const error = request.error;
      if (error instanceof AftercareError && error.statusCode < 500) {
        request.response = jsonResponse(error.statusCode, {
          error: error.name,
          message: error.message,
          ...error.details,
        });
        return;
      }
      logger.error('request failed', { error: error as Error, routeKey: request.event.routeKey });
      request.response = jsonResponse(500, { error: 'InternalError', message: 'internal error' });
    },
  };
}

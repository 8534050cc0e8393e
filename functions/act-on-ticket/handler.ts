import { IdempotencyAlreadyInProgressError, IdempotencyConfig, IdempotencyValidationError, makeIdempotent } from '@aws-lambda-powertools/idempotency';
import { DynamoDBPersistenceLayer } from '@aws-lambda-powertools/idempotency/dynamodb';
import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import { SendMessageCommand } from '@aws-sdk/client-sqs';
import { sqs, stepFunctions } from '@shared/aws/clients';
import { loadMarketplaceRegistry } from '@shared/config/marketplaces';
import { clock } from '@shared/clock';
import { requireEnv } from '@shared/config/env';
import { ConflictError } from '@shared/errors';
import { httpHandler } from '@shared/http/http-handler';
import { ticketRepositoryFromEnv } from '@shared/tickets/repository-from-env';
import { createActOnTicket } from './act-on-ticket';

/** How long a repeated request with the same Idempotency-Key gets the first answer again. */
const IDEMPOTENCY_WINDOW_SECONDS = 24 * 3600;

const notificationsQueueUrl = requireEnv('NOTIFICATIONS_QUEUE_URL');
const actOnTicket = createActOnTicket({
  tickets: ticketRepositoryFromEnv(),
  sfn: stepFunctions(),
  clock,
  registry: loadMarketplaceRegistry,
  notify: async (notification) => {
    await sqs().send(new SendMessageCommand({ QueueUrl: notificationsQueueUrl, MessageBody: JSON.stringify(notification) }));
  },
});

/**
 * With an `Idempotency-Key` header, the first answer is stored (Powertools idempotency) and a
 * repeated request — same caller, ticket, key and body — gets it again and changes nothing.
 */
const idempotency = new IdempotencyConfig({
  eventKeyJmesPath: '[requestContext.authorizer.jwt.claims.sub, pathParameters.id, headers."idempotency-key"]',
  payloadValidationJmesPath: 'body',
  expiresAfterSeconds: IDEMPOTENCY_WINDOW_SECONDS,
});
const actOnce = makeIdempotent(actOnTicket, {
  persistenceStore: new DynamoDBPersistenceLayer({ tableName: requireEnv('IDEMPOTENCY_TABLE_NAME') }),
  config: idempotency,
});

export const handler = httpHandler(async (event: APIGatewayProxyEventV2, context: Context) => {
  if (!event.headers['idempotency-key']) return actOnTicket(event);
  try {
    // The remaining time of the invocation bounds how long a request counts as "in progress".
    idempotency.registerLambdaContext(context);
    return await actOnce(event);
  } catch (error) {
    if (error instanceof IdempotencyValidationError) {
      throw new ConflictError('this Idempotency-Key was used with a different request');
    }
    if (error instanceof IdempotencyAlreadyInProgressError) {
      throw new ConflictError('a request with this Idempotency-Key is still being processed');
    }
    throw error;
  }
});

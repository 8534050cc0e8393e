import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import middy, { type MiddlewareObj, type MiddyfiedHandler } from '@middy/core';
import type { Context, DynamoDBRecord, DynamoDBStreamEvent, SQSEvent, SQSRecord } from 'aws-lambda';
import { logger } from '@shared/logger';
import { metrics } from './metrics';
import { tracer } from './tracer';

/**
 * Publishes what the invocation counted (one embedded-metric-format line) when it ends, also
 * when it fails. Powertools' own `logMetrics` would warn on every invocation that counted
 * nothing, which is most of them.
 */
export function publishMetrics<Event, Result>(): MiddlewareObj<Event, Result> {
  const publish = async () => {
    if (metrics.hasStoredMetrics()) metrics.publishStoredMetrics();
  };
  return { after: publish, onError: publish };
}

/**
 * What every Aftercare function shares, whatever invokes it (API Gateway, Step Functions, SQS,
 * a stream, a schedule): an X-Ray segment, the request id and cold start on each log line (keys
 * from the invocation before are cleared), and the invocation's metrics published. middy's
 * early-timeout abort is off: handlers finish well inside their timeout, and its timer would
 * keep test processes alive.
 */
export function observed<Event, Result>(handler: (event: Event, context: Context) => Promise<Result>): MiddyfiedHandler<Event, Result> {
  return middy<Event, Result>(handler, { timeoutEarlyInMillis: 0 })
    .use(captureLambdaHandler(tracer, { captureResponse: false }))
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .use(publishMetrics<Event, Result>());
}

/** A scheduled function (EventBridge in AWS, the stack's clock locally). */
export function scheduledHandler<Result>(handler: (event: unknown) => Promise<Result>) {
  return observed<unknown, Result>((event) => handler(event));
}

/**
 * A workflow step (a Step Functions task): its log lines carry the ticket id of the task input,
 * so one ticket's steps can be followed across functions.
 */
export function workflowHandler<Result>(handler: (event: unknown) => Promise<Result>) {
  return observed<unknown, Result>(async (event) => {
    const ticketId = (event as { ticketId?: unknown } | null)?.ticketId;
    if (typeof ticketId === 'string') logger.appendKeys({ ticketId });
    return handler(event);
  });
}

/** An SQS consumer: records one by one; the failed ones are reported, so only they come back (then dead-letter). */
export function queueHandler(handleRecord: (record: SQSRecord) => Promise<unknown>) {
  const processor = new BatchProcessor(EventType.SQS);
  return observed((event: SQSEvent, context: Context) => processPartialResponse(event, handleRecord, processor, { context }));
}

/**
 * A DynamoDB stream consumer: records one after another, in stream order; a failed one is
 * reported by its sequence number, so the mapping retries from there.
 */
export function streamHandler(handleRecord: (record: DynamoDBRecord) => Promise<unknown>) {
  const processor = new BatchProcessor(EventType.DynamoDBStreams);
  return observed((event: DynamoDBStreamEvent, context: Context) =>
    processPartialResponse(event, handleRecord, processor, { context, processInParallel: false }),
  );
}

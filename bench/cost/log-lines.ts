import type { HistoryEvent } from '@aws-sdk/client-sfn';

/**
 * Bytes of the line Step Functions logs for one history event at level ALL without execution
 * data (how the CDK stack configures both state machines): the event's id, type, timestamp,
 * execution and details, without inputs and outputs.
 */
export function stepFunctionsLogLineBytes(event: HistoryEvent, executionArn: string): number {
  const details = Object.entries(event).find(([key]) => key.endsWith('EventDetails'))?.[1] as Record<string, unknown> | undefined;
  const withoutData = Object.fromEntries(
    Object.entries(details ?? {}).filter(([key]) => !['input', 'output', 'result', 'parameters', 'cause'].includes(key)),
  );
  const line = JSON.stringify({
    id: String(event.id),
    type: event.type,
    details: withoutData,
    previous_event_id: String(event.previousEventId ?? 0),
    event_timestamp: String(event.timestamp instanceof Date ? event.timestamp.getTime() : 0),
    execution_arn: executionArn,
    redrive_count: '0',
  });
  return Buffer.byteLength(`${line}\n`);
}

/**
 * Bytes of the API access log line for one request, in the JSON format the HTTP API's stage
 * writes (infra/cloud/constructs/http-api.ts), filled with typical values.
 */
export function apiAccessLogLineBytes(method: string, path: string, status: number, responseBytes: number): number {
  const route = path
    .replace(/^\/tickets\/[^/]+\/actions$/, '/tickets/{id}/actions')
    .replace(/^\/tickets\/[^/?]+$/, '/tickets/{id}')
    .replace(/^\/webhooks\/[^/]+$/, '/webhooks/{marketplace}')
    .replace(/\?.*$/, '');
  const line = JSON.stringify({
    requestId: 'AbCdEfGhIjKlMnO=',
    ip: '203.0.113.10',
    requestTime: '01/Dec/2026:12:00:00 +0000',
    routeKey: `${method} ${route}`,
    status: String(status),
    protocol: 'HTTP/1.1',
    responseLength: String(responseBytes),
    responseLatency: '42',
    integrationLatency: '40',
    integrationError: '-',
    authorizerError: '-',
  });
  return Buffer.byteLength(`${line}\n`);
}

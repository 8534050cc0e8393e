import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { APIGatewayProxyEventV2, APIGatewayProxyResultV2 } from 'aws-lambda';
import type { MatchedRoute } from './route-table';
import { LOCAL_ACCOUNT_ID } from '../aws/local-aws-environment';

/** Content types whose bodies API Gateway passes as text; anything else arrives base64-encoded. */
const TEXT_CONTENT = /^(application\/(json|x-www-form-urlencoded|xml|[a-z.+-]+\+json)|text\/)/i;

/**
 * The API Gateway HTTP API (payload format 2.0) event for a request, as AWS builds it:
 * lower-cased headers with repeated values comma-joined, cookies apart, path and query
 * parameters, and the verified JWT claims under `requestContext.authorizer.jwt`.
 */
export function apiGatewayEvent(input: {
  request: IncomingMessage;
  url: URL;
  body: Buffer;
  matched: MatchedRoute;
  claims?: Record<string, string>;
  nowMs: number;
}): APIGatewayProxyEventV2 {
  const { request, url, body, matched } = input;
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(request.headersDistinct)) {
    if (name === 'cookie' || value === undefined) continue;
    headers[name] = value.join(',');
  }
  const cookies = request.headers.cookie?.split(';').map((cookie) => cookie.trim()).filter(Boolean);
  const query: Record<string, string> = {};
  for (const [name, value] of url.searchParams) query[name] = query[name] === undefined ? value : `${query[name]},${value}`;
  const isText = TEXT_CONTENT.test(headers['content-type'] ?? 'application/json');
  const time = new Date(input.nowMs);
  const event: APIGatewayProxyEventV2 & { requestContext: { authorizer?: unknown } } = {
    version: '2.0',
    routeKey: matched.routeKey,
    rawPath: url.pathname,
    rawQueryString: url.search.slice(1),
    cookies,
    headers,
    queryStringParameters: Object.keys(query).length ? query : undefined,
    pathParameters: Object.keys(matched.pathParameters).length ? matched.pathParameters : undefined,
    requestContext: {
      accountId: LOCAL_ACCOUNT_ID,
      apiId: 'local',
      domainName: headers.host ?? '127.0.0.1',
      domainPrefix: 'local',
      http: {
        method: request.method ?? 'GET',
        path: url.pathname,
        protocol: `HTTP/${request.httpVersion}`,
        sourceIp: request.socket.remoteAddress ?? '127.0.0.1',
        userAgent: headers['user-agent'] ?? '',
      },
      requestId: randomUUID(),
      routeKey: matched.routeKey,
      stage: '$default',
      time: time.toISOString(),
      timeEpoch: input.nowMs,
      ...(input.claims ? { authorizer: { jwt: { claims: input.claims, scopes: null } } } : {}),
    },
    body: body.length ? (isText ? body.toString('utf8') : body.toString('base64')) : undefined,
    isBase64Encoded: body.length > 0 && !isText,
  };
  return event;
}

export interface HttpAnswer {
  readonly statusCode: number;
  readonly headers: Record<string, string>;
  readonly body: Buffer;
}

/**
 * A handler's result as API Gateway turns it into a response: a structured result is used
 * as given; anything else is a 200 with the value as JSON (payload format 2.0 rules).
 */
export function httpAnswerFrom(result: APIGatewayProxyResultV2 | unknown): HttpAnswer {
  if (result !== null && typeof result === 'object' && 'statusCode' in result) {
    const structured = result as { statusCode: number; headers?: Record<string, unknown>; body?: string; isBase64Encoded?: boolean; cookies?: string[] };
    const headers = Object.fromEntries(Object.entries(structured.headers ?? {}).map(([k, v]) => [k.toLowerCase(), String(v)]));
    const body = structured.body === undefined ? Buffer.alloc(0) : Buffer.from(structured.body, structured.isBase64Encoded ? 'base64' : 'utf8');
    return { statusCode: structured.statusCode, headers, body };
  }
  const text = typeof result === 'string' ? result : JSON.stringify(result ?? null);
  return { statusCode: 200, headers: { 'content-type': 'application/json' }, body: Buffer.from(text) };
}

import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';

/** A JSON response in the API Gateway HTTP API (payload 2.0) shape. */
export function jsonResponse(
  statusCode: number,
  body: unknown,
  headers: Record<string, string> = {},
): APIGatewayProxyStructuredResultV2 {
  return {
    statusCode,
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  };
}

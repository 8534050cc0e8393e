import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import type { z } from 'zod';
import { PayloadTooLargeError, ValidationError } from '@shared/errors';

/** Bodies above this are refused before parsing (SQS, and so the pipeline, carries at most 256 KB). */
export const MAX_BODY_BYTES = 256 * 1024;

/** The request body as the caller sent it, decoded from base64 when API Gateway encoded it. */
export function rawBody(event: APIGatewayProxyEventV2): string {
  const body = event.body ?? '';
  const text = event.isBase64Encoded ? Buffer.from(body, 'base64').toString('utf8') : body;
  if (Buffer.byteLength(text, 'utf8') > MAX_BODY_BYTES) {
    throw new PayloadTooLargeError(`body exceeds ${MAX_BODY_BYTES} bytes`);
  }
  return text;
}

/** Parses a JSON body, answering 400 "malformed JSON body" when it is not JSON. */
export function parseJson(text: string): unknown {
  if (text.trim() === '') throw new ValidationError('request body is required (JSON)');
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new ValidationError(`malformed JSON body: ${(error as Error).message}`);
  }
}

/**
 * Validates `value` with a zod schema. A mismatch is a 400 whose message names each wrong
 * field (`data.orderId: expected string`) and whose body lists them.
 */
export function parseWith<Schema extends z.ZodType>(schema: Schema, value: unknown, what = 'body'): z.output<Schema> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issues = result.error.issues.map((issue) => ({
    path: issue.path.map(String).join('.') || '(root)',
    message: issue.message,
  }));
  const summary = issues.map((issue) => `${issue.path}: ${issue.message}`).join('; ');
  throw new ValidationError(`invalid ${what}: ${summary}`, { issues });
}

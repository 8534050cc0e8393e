import { z } from 'zod';
import { ValidationError } from '@shared/errors';

/**
 * A DynamoDB key attribute as a cursor may carry it: a non-empty string within DynamoDB's
 * key size (2048 bytes for a partition key, 1024 for a sort key; the smaller bounds both).
 * DynamoDB refuses an empty or oversized key value with a ValidationException, which would
 * reach the caller as a 500, so such a cursor is refused here as a 400 instead.
 */
export const cursorKeyValue = z
  .string()
  .min(1)
  .refine((value) => Buffer.byteLength(value, 'utf8') <= 1024, 'longer than a key value can be');

/** The opaque cursor handed to callers for a Query's `LastEvaluatedKey`. */
export function encodeCursor(lastEvaluatedKey: Record<string, unknown> | undefined): string | undefined {
  return lastEvaluatedKey ? Buffer.from(JSON.stringify(lastEvaluatedKey)).toString('base64url') : undefined;
}

/**
 * The start key a caller's cursor holds, checked against `keySchema` (the exact key
 * attributes of the queried index, each a {@link cursorKeyValue}). Anything else — not
 * base64url JSON, a missing, extra, empty or mistyped attribute — is a 400: the cursor is
 * not one this API handed out. A forged cursor never reaches DynamoDB.
 */
export function decodeCursor<Shape extends z.ZodRawShape>(cursor: string, keySchema: z.ZodObject<Shape>): z.output<z.ZodObject<Shape>> {
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    decoded = undefined;
  }
  const parsed = keySchema.strict().safeParse(decoded);
  if (!parsed.success) throw new ValidationError('invalid cursor: not one this API handed out; pass the cursor of the previous page');
  return parsed.data;
}

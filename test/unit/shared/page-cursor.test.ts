import { z } from 'zod';
import { cursorKeyValue, decodeCursor, encodeCursor } from '@shared/aws/page-cursor';
import { ValidationError } from '@shared/errors';

const keySchema = z.object({ id: cursorKeyValue, marketplace: cursorKeyValue, at: cursorKeyValue });
const cursorOf = (key: unknown) => Buffer.from(JSON.stringify(key)).toString('base64url');
const key = { id: 'n-1', marketplace: 'demo', at: '2026-03-01T00:00:00.000Z' };

describe('page cursors', () => {
  it('decodes the cursor it encoded to the same key', () => {
    expect(decodeCursor(encodeCursor(key)!, keySchema)).toEqual(key);
    expect(encodeCursor(undefined)).toBeUndefined();
  });

  it.each([
    ['e30, an empty object', 'e30'],
    ['not JSON', 'bm90LWEtY3Vyc29y'],
    ['null', cursorOf(null)],
    ['an array', cursorOf([key])],
    ['an empty key value', cursorOf({ ...key, id: '' })],
    ['a key value over 1 KB', cursorOf({ ...key, id: 'é'.repeat(513) })],
    ['a key value that is not text', cursorOf({ ...key, at: 1 })],
    ['a missing attribute', cursorOf({ id: key.id, marketplace: key.marketplace })],
    ['an extra attribute', cursorOf({ ...key, pk: 'x' })],
  ])('refuses %s with a 400 naming the cursor', (_name, cursor) => {
    const refusal = (() => {
      try {
        decodeCursor(cursor, keySchema);
      } catch (error) {
        return error;
      }
      return undefined;
    })();
    expect(refusal).toBeInstanceOf(ValidationError);
    expect((refusal as ValidationError).statusCode).toBe(400);
    expect((refusal as ValidationError).message).toMatch(/^invalid cursor: /);
  });

  it('takes a key value up to 1 KB of UTF-8', () => {
    expect(decodeCursor(cursorOf({ ...key, id: 'é'.repeat(512) }), keySchema).id).toHaveLength(512);
  });
});

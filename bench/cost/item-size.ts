import type { AttributeValue } from '@aws-sdk/client-dynamodb';

/**
 * An item's size as DynamoDB bills it, by the rules AWS publishes ("Item sizes and formats"
 * in the DynamoDB developer guide): each attribute's name in UTF-8 bytes plus its value;
 * a string or binary its bytes; a number 1 byte per two significant digits plus 1; a boolean
 * or null 1 byte; a list or map 3 bytes plus its elements plus 1 byte per element (a map's
 * keys count as names); a set the sum of its elements.
 */
export function itemSizeBytes(item: Readonly<Record<string, AttributeValue>>): number {
  return Object.entries(item).reduce((sum, [name, value]) => sum + utf8Bytes(name) + valueSizeBytes(value), 0);
}

/** Write units a transactional write of an item this size takes: two per started kilobyte, at least two. */
export function transactionalWriteUnits(sizeBytes: number): number {
  return 2 * Math.max(1, Math.ceil(sizeBytes / 1024));
}

function valueSizeBytes(value: AttributeValue): number {
  if (value.S !== undefined) return utf8Bytes(value.S);
  if (value.N !== undefined) return numberSizeBytes(value.N);
  if (value.B !== undefined) return value.B.byteLength;
  if (value.BOOL !== undefined || value.NULL !== undefined) return 1;
  if (value.SS !== undefined) return value.SS.reduce((sum, element) => sum + utf8Bytes(element), 0);
  if (value.NS !== undefined) return value.NS.reduce((sum, element) => sum + numberSizeBytes(element), 0);
  if (value.BS !== undefined) return value.BS.reduce((sum, element) => sum + element.byteLength, 0);
  if (value.L !== undefined) return 3 + value.L.reduce((sum, element) => sum + 1 + valueSizeBytes(element), 0);
  if (value.M !== undefined) return 3 + Object.entries(value.M).reduce((sum, [name, element]) => sum + 1 + utf8Bytes(name) + valueSizeBytes(element), 0);
  return 0;
}

function numberSizeBytes(number: string): number {
  const digits = number.replace(/^-/, '').replace(/e.*$/i, '').replace('.', '').replace(/^0+/, '').replace(/0+$/, '');
  return Math.ceil(digits.length / 2) + 1;
}

const utf8Bytes = (text: string) => Buffer.byteLength(text, 'utf8');

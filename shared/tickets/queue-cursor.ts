import { createHash } from 'node:crypto';
import { z } from 'zod';
import { canonicalJson } from '@shared/audit/canonical-json';
import { cursorKeyValue } from '@shared/aws/page-cursor';
import { ValidationError } from '@shared/errors';
import type { QueryPlan } from './queue-plan';
import type { TicketFilters } from './queue-query';

/**
 * Where the next page of a `GET /tickets` query starts: which of the plan's Queries, the key
 * of the last ticket returned, the moment "at risk" was measured from (so the pages of one
 * listing agree), and a fingerprint of the filters. A cursor is checked before use: one that
 * was not made for this very query, or names a position outside its key range, is a 400.
 */
export interface QueueCursor {
  readonly segment: number;
  readonly key: Readonly<Record<string, string>>;
  readonly asOf: string;
}

const cursorSchema = z.strictObject({
  v: z.literal(1),
  q: z.string().length(16),
  s: z.number().int().min(0).max(1),
  k: z.record(z.string(), cursorKeyValue),
  a: z.iso.datetime(),
});

/** A short digest of the filters: a cursor only continues the query it came from. */
export function queryFingerprint(filters: TicketFilters): string {
  return createHash('sha256').update(canonicalJson(filters)).digest('hex').slice(0, 16);
}

export function encodeQueueCursor(filters: TicketFilters, cursor: QueueCursor): string {
  const body = { v: 1, q: queryFingerprint(filters), s: cursor.segment, k: cursor.key, a: cursor.asOf };
  return Buffer.from(JSON.stringify(body)).toString('base64url');
}

/** The cursor's position, or a 400 unless it is one this API returned for `filters` and fits `planFor`'s plan. */
export function decodeQueueCursor(text: string, filters: TicketFilters, planFor: (asOf: Date) => QueryPlan): { cursor: QueueCursor; plan: QueryPlan } {
  const invalid = () => new ValidationError('cursor is not one this API returned for this query');
  let raw: unknown;
  try {
    raw = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
  } catch {
    throw invalid();
  }
  const parsed = cursorSchema.safeParse(raw);
  if (!parsed.success || parsed.data.q !== queryFingerprint(filters)) throw invalid();
  const { s: segmentIndex, k: key, a: asOf } = parsed.data;
  const plan = planFor(new Date(asOf));
  const segment = plan.segments[segmentIndex];
  if (!segment) throw invalid();
  const expected = segment.index ? ['pk', segment.partitionName, 'queueKey'] : ['pk'];
  const names = Object.keys(key).sort();
  if (names.join() !== [...new Set(expected)].sort().join()) throw invalid();
  if (!/^TICKET#[\x21-\x7e]{1,300}$/.test(key.pk!)) throw invalid();
  if (segment.index) {
    if (key[segment.partitionName] !== segment.partitionValue) throw invalid();
    if (key.queueKey! < segment.from || key.queueKey! > segment.to) throw invalid();
  }
  return { cursor: { segment: segmentIndex, key, asOf }, plan };
}

import { z } from 'zod';
import { hashChainLink } from '@shared/audit/audit-event';
import { verifyChain, type ChainVerification, type ExpectedHead } from '@shared/audit/verify-chain';
import type { AftercareApiClient } from './api-client';

/**
 * A record as the API returns it. Every field is kept, since every field was hashed; only
 * what the check needs is required.
 */
const linkSchema = z.looseObject({ seq: z.number(), prevHash: z.string(), hash: z.string() });
const ticketTrailSchema = z.object({
  ticketId: z.string(),
  events: z.array(linkSchema),
  head: z.object({ seq: z.number(), hash: z.string() }),
  /** The newest chain-head checkpoint from the locked bucket, where one exists. */
  checkpoint: z.object({ seq: z.number(), hash: z.string(), checkpointedAt: z.string() }).nullable().optional(),
});
const pageSchema = z.object({
  events: z.array(linkSchema.extend({ ticketId: z.string().optional(), chain: z.string().optional(), marketplace: z.string() })),
  cursor: z.string().optional(),
});

type Link = z.output<typeof linkSchema>;

/** The verdict on one chain. */
export interface ChainReport {
  /** `ticket <id>` or `marketplace <id>`. */
  readonly chain: string;
  readonly result: ChainVerification;
}

/**
 * Verifies one ticket's chain on the verifier's side: every hash recomputed from the events
 * the API returns (the server's own verdict is not trusted), the chain held against the head
 * the ticket item records and against the newest chain-head checkpoint from the locked
 * bucket, when there is one: a chain cut short after its checkpoint is found out even when
 * the ticket's own head was rewritten to match.
 */
export async function verifyTicket(api: AftercareApiClient, ticketId: string): Promise<ChainReport> {
  const trail = await api.get(`/audit/tickets/${encodeURIComponent(ticketId)}`, ticketTrailSchema);
  // In stored (key) order, as returned: a record moved to another key shows as a sequence break.
  const events = trail.events;
  let result = verifyChain(events, { ...trail.head, last: true });
  const checkpoint: ExpectedHead | undefined = trail.checkpoint ?? undefined;
  if (result.valid && checkpoint) {
    const held = verifyChain(events, checkpoint);
    if (!held.valid) result = { ...held, problem: `checkpoint of ${trail.checkpoint!.checkpointedAt}: ${held.problem}` };
  }
  return { chain: `ticket ${ticketId}`, result };
}

/**
 * Verifies every chain with events in a marketplace's range: each ticket found in the range
 * in full (so a gap anywhere in its history shows), and the marketplace's own events (its
 * exports) in the range as a linked segment.
 */
export async function verifyMarketplace(
  api: AftercareApiClient,
  range: { marketplace: string; from: string; to: string },
  concurrency = 8,
): Promise<ChainReport[]> {
  const ticketIds = new Set<string>();
  const own: Link[] = [];
  let cursor: string | undefined;
  do {
    const query = new URLSearchParams({ marketplace: range.marketplace, from: range.from, to: range.to, limit: '1000' });
    if (cursor) query.set('cursor', cursor);
    const page = await api.get(`/audit/events?${query.toString()}`, pageSchema);
    for (const event of page.events) {
      if (event.chain === 'marketplace') own.push(event);
      else if (event.ticketId) ticketIds.add(event.ticketId);
    }
    cursor = page.cursor;
  } while (cursor);

  const reports: ChainReport[] = [];
  const queue = [...ticketIds];
  await Promise.all(
    Array.from({ length: Math.min(concurrency, queue.length) }, async () => {
      for (let id = queue.shift(); id !== undefined; id = queue.shift()) reports.push(await verifyTicket(api, id));
    }),
  );
  reports.sort((a, b) => a.chain.localeCompare(b.chain));
  if (own.length) reports.push({ chain: `marketplace ${range.marketplace}`, result: verifySegment(own) });
  return reports;
}

/** A run of consecutive records of one chain, not starting at its beginning: linked and each hash right. */
function verifySegment(records: readonly Link[]): ChainVerification {
  const sorted = [...records].sort((a, b) => a.seq - b.seq);
  for (const [index, record] of sorted.entries()) {
    const previous = sorted[index - 1];
    if (previous && record.seq !== previous.seq + 1) {
      return { valid: false, events: sorted.length, brokenAtSeq: record.seq, problem: `expected sequence ${previous.seq + 1}, found ${record.seq}` };
    }
    if (previous && record.prevHash !== previous.hash) {
      return { valid: false, events: sorted.length, brokenAtSeq: record.seq, problem: 'prevHash does not match the previous event' };
    }
    const { hash, ...content } = record;
    if (hashChainLink(content) !== hash) return { valid: false, events: sorted.length, brokenAtSeq: record.seq, problem: 'hash does not match the event content' };
  }
  return { valid: true, events: sorted.length, headHash: sorted.at(-1)?.hash ?? '' };
}

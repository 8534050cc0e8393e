import { z } from 'zod';
import { verifyChain, type ChainOwner, type ChainVerification, type ExpectedHead } from '@shared/audit/verify-chain';
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
const marketplaceChainSchema = z.object({
  events: z.array(linkSchema),
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
  const owner = { field: 'ticketId', value: ticketId } as const;
  const result = heldToCheckpoint(events, verifyChain(events, { ...trail.head, last: true }, owner), trail.checkpoint ?? undefined, owner);
  return { chain: `ticket ${ticketId}`, result };
}

/**
 * Verifies every chain with events in a marketplace's range: each ticket found in the range
 * in full (so a gap anywhere in its history shows), and, when it has any, the marketplace's
 * own chain (its exports) in full, against its newest checkpoint.
 */
export async function verifyMarketplace(
  api: AftercareApiClient,
  range: { marketplace: string; from: string; to: string },
  concurrency = 8,
): Promise<ChainReport[]> {
  const ticketIds = new Set<string>();
  let cursor: string | undefined;
  do {
    const query = new URLSearchParams({ marketplace: range.marketplace, from: range.from, to: range.to, limit: '1000' });
    if (cursor) query.set('cursor', cursor);
    const page = await api.get(`/audit/events?${query.toString()}`, pageSchema);
    for (const event of page.events) {
      if (event.chain !== 'marketplace' && event.ticketId) ticketIds.add(event.ticketId);
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
  const own = await verifyMarketplaceChain(api, range.marketplace);
  if (own.result.events > 0 || !own.result.valid) reports.push(own);
  return reports;
}

/** Verifies a marketplace's own chain (its exports) in full, on the verifier's side, against its newest checkpoint. */
export async function verifyMarketplaceChain(api: AftercareApiClient, marketplace: string): Promise<ChainReport> {
  const trail = await api.get(`/audit/marketplaces/${encodeURIComponent(marketplace)}/chain`, marketplaceChainSchema);
  const owner = { field: 'marketplace', value: marketplace } as const;
  return { chain: `marketplace ${marketplace}`, result: heldToCheckpoint(trail.events, verifyChain(trail.events, undefined, owner), trail.checkpoint ?? undefined, owner) };
}

/** A valid chain checked once more against its newest checkpoint, the problem saying which checkpoint. */
function heldToCheckpoint(
  events: readonly Link[],
  result: ChainVerification,
  checkpoint: (ExpectedHead & { checkpointedAt: string }) | undefined,
  owner: ChainOwner,
): ChainVerification {
  if (!result.valid || !checkpoint) return result;
  const held = verifyChain(events, checkpoint, owner);
  return held.valid ? result : { ...held, problem: `checkpoint of ${checkpoint.checkpointedAt}: ${held.problem}` };
}

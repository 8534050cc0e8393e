import { GENESIS_HASH, hashChainLink } from './audit-event';

export type ChainVerification =
  | { readonly valid: true; readonly events: number; readonly headHash: string }
  | { readonly valid: false; readonly events: number; readonly brokenAtSeq: number; readonly problem: string };

/** What every hash-chained record has: a ticket's audit events and a marketplace's own events alike. */
export interface ChainLink {
  readonly seq: number;
  readonly prevHash: string;
  readonly hash: string;
}

/** A chain head recorded elsewhere (on the ticket item): the sequence and hash the chain must reach. */
export interface ExpectedHead {
  readonly seq: number;
  readonly hash: string;
  /** The chain must end at this head (the ticket's own record), not merely pass through it (a checkpoint). */
  readonly last?: boolean;
}

/**
 * Whose chain the events must be: each event names its ticket (`ticketId`) or, on a
 * marketplace's own chain, its marketplace. The hash covers that field, so without this check
 * another chain's intact events, copied in whole with the head rewritten, would pass.
 */
export interface ChainOwner {
  readonly field: 'ticketId' | 'marketplace';
  readonly value: string;
}

/**
 * Recomputes a chain from its events in sequence order and names the first event that does
 * not fit: a sequence gap (deleted or reordered event), a `prevHash` that is not the
 * previous event's hash, or a hash that does not match the event's content (changed field).
 * With `expectedHead`, a chain that ends before that head (its last events removed) or
 * ends on another hash is broken too. With `owner`, an event of another chain is broken.
 */
export function verifyChain(events: readonly ChainLink[], expectedHead?: ExpectedHead, owner?: ChainOwner): ChainVerification {
  let expectedPrev = GENESIS_HASH;
  for (const [index, event] of events.entries()) {
    const expectedSeq = index + 1;
    if (event.seq !== expectedSeq) {
      return broken(events.length, event.seq, `expected sequence ${expectedSeq}, found ${event.seq}`);
    }
    const fields = event as unknown as Record<string, unknown>;
    const belongsTo = fields[owner?.field ?? ''];
    // A ticket's event names its marketplace too: on a marketplace's chain only its own events count.
    if (owner && (belongsTo !== owner.value || (owner.field === 'marketplace' && fields.chain !== 'marketplace'))) {
      const whose = owner.field === 'ticketId' ? 'ticket' : 'marketplace';
      return broken(events.length, event.seq, `the event belongs to ${whose} ${typeof belongsTo === 'string' ? belongsTo : 'none'}`);
    }
    if (event.prevHash !== expectedPrev) {
      return broken(events.length, event.seq, 'prevHash does not match the previous event');
    }
    const { hash, ...content } = event;
    if (hashChainLink(content) !== hash) {
      return broken(events.length, event.seq, 'hash does not match the event content');
    }
    expectedPrev = hash;
  }
  if (expectedHead && expectedHead.seq > 0) {
    const atHead = events[expectedHead.seq - 1];
    if (!atHead) {
      return broken(events.length, events.length + 1, `the recorded head is event ${expectedHead.seq}; the trail ends at ${events.length}`);
    }
    if (atHead.hash !== expectedHead.hash) return broken(events.length, expectedHead.seq, 'event does not match the recorded head hash');
    if (expectedHead.last && events.length > expectedHead.seq) {
      return broken(events.length, expectedHead.seq + 1, `the recorded head is event ${expectedHead.seq}; the trail goes on past it`);
    }
  }
  return { valid: true, events: events.length, headHash: expectedPrev };
}

function broken(events: number, brokenAtSeq: number, problem: string): ChainVerification {
  return { valid: false, events, brokenAtSeq, problem };
}

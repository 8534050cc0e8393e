import { GENESIS_HASH, hashAuditEvent, type AuditEvent } from './audit-event';

export type ChainVerification =
  | { readonly valid: true; readonly events: number; readonly headHash: string }
  | { readonly valid: false; readonly events: number; readonly brokenAtSeq: number; readonly problem: string };

/**
 * Recomputes a ticket's chain from its events in sequence order and names the first event
 * that does not fit: a sequence gap (deleted or reordered event), a `prevHash` that is not
 * the previous event's hash, or a hash that does not match the event's content (changed field).
 */
export function verifyChain(events: readonly AuditEvent[]): ChainVerification {
  let expectedPrev = GENESIS_HASH;
  for (const [index, event] of events.entries()) {
    const expectedSeq = index + 1;
    if (event.seq !== expectedSeq) {
      return broken(events.length, event.seq, `expected sequence ${expectedSeq}, found ${event.seq}`);
    }
    if (event.prevHash !== expectedPrev) {
      return broken(events.length, event.seq, 'prevHash does not match the previous event');
    }
    const { hash, ...content } = event;
    if (hashAuditEvent(content) !== hash) {
      return broken(events.length, event.seq, 'hash does not match the event content');
    }
    expectedPrev = hash;
  }
  return { valid: true, events: events.length, headHash: expectedPrev };
}

function broken(events: number, brokenAtSeq: number, problem: string): ChainVerification {
  return { valid: false, events, brokenAtSeq, problem };
}

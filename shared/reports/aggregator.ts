import { isDeepStrictEqual } from 'node:util';
import type { AuditEvent } from '@shared/audit/audit-event';
import { AftercareError } from '@shared/errors';
import { reduceAuditEvent, type KpiTicket } from './kpi-ticket';
import { mergeCounterDeltas, type KpiStore } from './kpi-store';
import type { TrailRange } from './trail-range';

/** An audit trail the aggregator cannot read as a ticket's (its first event opens no ticket). */
export class UnreadableTrailError extends AftercareError {}

/** Rounds of "another run was first" before an event is handed back to the stream for a retry. */
const MAX_ATTEMPTS = 10;

/** What became of one audit event. */
export type Aggregated = 'applied' | 'already_applied';

export interface KpiAggregatorDeps {
  readonly store: KpiStore;
  /** Events the stream has not brought yet (or not in order), read from the trail itself. */
  readonly trail: TrailRange;
  /** The IANA zone a marketplace's periods are counted in. */
  readonly timeZoneOf: (marketplace: string) => Promise<string>;
}

/**
 * Folds audit events into the KPI counters exactly once each. Every ticket's events are
 * applied in sequence order, each that changes something in one transaction with the ticket's
 * state conditioned on the state stored before it: a redelivered event (already applied)
 * changes nothing, and an event that arrives after a gap (events that changed nothing,
 * another stream shard, a batch that failed) first applies the missing ones, read from the
 * trail. A crash between two transactions leaves the counters as of the last one; the
 * redelivery goes on from there.
 */
export class KpiAggregator {
  constructor(private readonly deps: KpiAggregatorDeps) {}

  async add(event: AuditEvent): Promise<Aggregated> {
    for (let attempt = 1; ; attempt += 1) {
      const known = await this.deps.store.ticket(event.ticketId);
      const lastSeq = known?.lastSeq ?? 0;
      if (event.seq <= lastSeq) return 'already_applied';
      const pending = event.seq === lastSeq + 1 ? [event] : await this.deps.trail(event.ticketId, lastSeq + 1, event.seq);
      if (pending.length !== event.seq - lastSeq) {
        throw new UnreadableTrailError(`ticket ${event.ticketId}: events ${lastSeq + 1}..${event.seq} are not all in the trail`);
      }
      if (await this.applyInOrder(known, pending)) return 'applied';
      // Another run moved the ticket on meanwhile: read again and go on from where it is.
      if (attempt >= MAX_ATTEMPTS) throw new AftercareError(`ticket ${event.ticketId}: state kept moving under event ${event.seq}`);
    }
  }

  /**
   * Applies the events in order. An event that changes neither a counter nor what is known of
   * the ticket (the workflow's bookkeeping, a callback's delivery) is not written: the stored
   * state stays at the event before, and the next event that changes something is written
   * conditioned on that state, after the ones between are read from the trail again. So about
   * half of a ticket's events cost no write, and each still counts exactly once.
   */
  private async applyInOrder(known: KpiTicket | undefined, events: readonly AuditEvent[]): Promise<boolean> {
    let stored = known;
    let current = known;
    for (const event of events) {
      const reduced = reduceAuditEvent(current, event);
      if (!reduced) throw new UnreadableTrailError(`ticket ${event.ticketId}: event ${event.seq} (${event.action}) opens no ticket`);
      current = reduced.ticket;
      const zone = await this.deps.timeZoneOf(event.marketplace);
      const countsNothing = mergeCounterDeltas(event.marketplace, reduced.deltas, zone).length === 0;
      if (countsNothing && stored && sameExceptSequence(stored, reduced.ticket)) continue;
      if (!(await this.deps.store.apply(stored, reduced.ticket, reduced.deltas, zone))) return false;
      stored = reduced.ticket;
    }
    return true;
  }
}

/** Whether two states of a ticket differ only in the event they are as of (an absent field and an undefined one are the same, as stored). */
function sameExceptSequence(a: KpiTicket, b: KpiTicket): boolean {
  const plain = (ticket: KpiTicket) => JSON.parse(JSON.stringify({ ...ticket, lastSeq: 0 })) as unknown;
  return isDeepStrictEqual(plain(a), plain(b));
}
